-- The one grant of KEDA's read-only login runway_keda (created by deploy/postgres-roles.sql), run as a superuser
-- after Runway's first start, when Flyway has created the table. Idempotent.
--   psql -d runway -f deploy/postgres-keda.sql
-- scheduled_tasks is db-scheduler's queue: task name 'run:<pool>' per run execution, picked or not; it has no tenant
-- column and no row-level security, so the role counts every company's runs without bypassing row-level security,
-- and it can read no other table (runs, datasets, users, the usage ledger are all refused).
grant usage on schema public to runway_keda;
grant select on public.scheduled_tasks to runway_keda;
