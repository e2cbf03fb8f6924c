-- A run stopped for a node's drain writes a checkpoint at the batch it stopped before, so that the node taking it
-- over continues from there instead of redoing the epoch. last_checkpoint_epoch stays the last completed epoch (the
-- estimate of what is left reads it); last_checkpoint_batch, when set, is how many batches of the next epoch that
-- checkpoint holds. Null for an end-of-epoch checkpoint.
alter table public.run add column last_checkpoint_batch integer;
alter table public.run add constraint run_last_checkpoint_batch_positive
    check (last_checkpoint_batch is null or (last_checkpoint_batch > 0 and last_checkpoint_epoch is not null));
