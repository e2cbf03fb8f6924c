-- A schedule can be deleted (DELETE /api/v1/schedules/{id}); the runs it started stay and no longer name it.
alter table run drop constraint run_schedule_id_fkey;
alter table run add constraint run_schedule_id_fkey
    foreign key (schedule_id) references run_schedule (id) on delete set null;
