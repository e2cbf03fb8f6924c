-- Run once as a superuser on a PostgreSQL of your own, before Runway's first start.
-- runway_owner owns the schema and every table (NOLOGIN); Flyway logs in as runway_migrator and acts as the owner;
-- the application logs in as runway_app, which only has grants, so row-level security applies to it; runway_keda
-- (optional) is the read-only login KEDA counts each worker pool's runs with (deploy/postgres-keda.sql grants it
-- the one table it reads, once Flyway has created it).
-- Pass your own passwords as psql variables (otherwise the placeholders below are used, fit for a trial only):
--   psql -v migrator_password=... -v app_password=... -v keda_password=... -f deploy/postgres-roles.sql
-- and give Runway the first two as QUARKUS_FLYWAY_PASSWORD and QUARKUS_DATASOURCE_PASSWORD.
-- The PostgreSQL image (deploy/Containerfile.postgres) runs this file on its first start with the passwords from
-- DB_MIGRATOR_PASSWORD, DB_APP_PASSWORD and DB_KEDA_PASSWORD.
\if :{?migrator_password}
\else
\set migrator_password change-me-migrator
\endif
\if :{?app_password}
\else
\set app_password change-me-app
\endif
\if :{?keda_password}
\else
\set keda_password ''
\endif
create role runway_owner nologin;
create role runway_migrator login password :'migrator_password' in role runway_owner;
create role runway_app login password :'app_password' nosuperuser nobypassrls;
create database runway owner runway_owner;
-- KEDA's login, only when a password is given: it may connect and, after deploy/postgres-keda.sql, read
-- scheduled_tasks (db-scheduler's queue: no tenant column and no row-level security), nothing else.
select :'keda_password' <> '' as with_keda \gset
\if :with_keda
create role runway_keda login password :'keda_password' nosuperuser nobypassrls nocreatedb nocreaterole;
grant connect on database runway to runway_keda;
\endif
\connect runway
alter schema public owner to runway_owner;
-- Only the owner creates objects. PostgreSQL 14 and older let PUBLIC create in schema public; with that, runway_app
-- could plant an operator that the owner's SECURITY DEFINER functions would run as the owner.
-- db/migration/V9__database_hardening.sql revokes it too, and stops while runway_app can still create anything.
revoke create on schema public from public;
