-- Run once as a superuser on a PostgreSQL of your own, before Runway's first start.
-- runway_owner owns the schema and every table (NOLOGIN); Flyway logs in as runway_migrator and acts as the owner;
-- the application logs in as runway_app, which only has grants, so row-level security applies to it.
-- Choose your own passwords and pass them as QUARKUS_DATASOURCE_PASSWORD and QUARKUS_FLYWAY_PASSWORD.
create role runway_owner nologin;
create role runway_migrator login password 'change-me-migrator' in role runway_owner;
create role runway_app login password 'change-me-app' nosuperuser nobypassrls;
create database runway owner runway_owner;
\connect runway
alter schema public owner to runway_owner;
-- Only the owner creates objects. PostgreSQL 14 and older let PUBLIC create in schema public; with that, runway_app
-- could plant an operator that the owner's SECURITY DEFINER functions would run as the owner.
-- db/migration/V9__database_hardening.sql revokes it too, and stops while runway_app can still create anything.
revoke create on schema public from public;
