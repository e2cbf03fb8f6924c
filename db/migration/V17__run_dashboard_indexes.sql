-- The dashboard's run charts count a company's runs of the last 30 days by creation day, and sum the runs that
-- overlapped the last 24 hours (still running, or finished since): both read a range of one tenant's runs.
create index run_tenant_created_idx on run (tenant_id, created_at);
create index run_tenant_finished_idx on run (tenant_id, finished_at);
