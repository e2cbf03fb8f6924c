-- A run revived after its worker died counts the revivals, so that a run that kills its worker every time fails
-- after runway.executor.max-restarts instead of looping (a retry starts the count again).
alter table run add column restarts integer not null default 0;

-- Why a schedule paused itself (its creator left, or the plan or a budget refused its run); cleared on resume.
alter table run_schedule add column paused_note varchar(500);
