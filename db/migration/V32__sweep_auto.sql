-- Auto (the New run dialog's default choice): a small successive-halving sweep that Runway plans itself from the data's
-- shape, within a time limit as well as the money cap, and whose best model it registers. docs/training.md, "Auto".

-- What Auto saw in the data and why it chose the model family (JSON); null for a sweep a person configured.
alter table sweep add column auto text;
-- Auto's time limit, counted from created_at: no trial starts after it, and running trials stop at it.
alter table sweep add column time_limit_seconds integer;
-- The model version Auto registered (the best trial's, aliased "candidate") once the search ended.
alter table sweep add column model_version_id bigint references model_version (id);

alter table sweep add constraint sweep_auto_check
    check ((auto is null and time_limit_seconds is null and model_version_id is null)
        or (auto is not null and time_limit_seconds between 60 and 86400));
