-- Imported models: a model version can be a file uploaded with a manifest (ONNX or TorchScript) instead of the model
-- of a training run. Such a version has no run and no training data; its manifest says how to feed it rows.
alter table model_version alter column run_id drop not null;
alter table model_version alter column dataset_version_id drop not null;
alter table model_version add column imported boolean not null default false;
alter table model_version add column manifest jsonb;
alter table model_version add constraint model_version_origin check (
    (imported and run_id is null and manifest is not null)
    or (not imported and run_id is not null and dataset_version_id is not null and manifest is null));

-- An evaluation run measures either a training run's model (source_run_id) or an imported version
-- (source_model_version_id), on all rows of a dataset version or on its test split (evaluate_rows).
alter table run add column source_model_version_id bigint references model_version (id);
alter table run add column evaluate_rows varchar(8);
alter table run add constraint run_evaluate_rows check (evaluate_rows is null or evaluate_rows in ('all', 'test'));
create index run_tenant_source_model_version_idx on run (tenant_id, source_model_version_id)
    where source_model_version_id is not null;
