package dev.runway.training.engine;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.training.Trainer;
import dev.runway.training.engine.ModelFiles.Checkpoint;
import dev.runway.training.engine.TrainingResult.Status;
import java.io.IOException;
import java.util.Map;

/**
 * The epochs of one training and the state carried between them: each epoch is a training step (its batches), a
 * validation step and a checkpoint step. The model and trainer belong to the caller, which closes them.
 *
 * <p>On small models the time goes per batch, outside the arithmetic: so a group of batches (a whole epoch, up to
 * {@link #GROUP_VALUES} values) is copied to the device as one array and cut into views, and the batches' losses and
 * predicted classes are read back once per group (the divergence check reads them there), instead of a copy, a
 * read-back and an accuracy computation per batch.
 */
final class EpochLoop {

    /** At most this many values go to the device in one group of batches (16 MiB of floats). */
    static final long GROUP_VALUES = 1L << 22;
    private static final int EVAL_BATCH = 512;

    /** How the epochs ended: stopped (with the result to return), or trained up to {@code lastEpoch}. */
    record Ended(TrainingResult stopped, int lastEpoch, boolean early) {}

    private final Hyperparameters h;
    private final Encoding encoding;
    private final boolean classification;
    private final Model model;
    private final Trainer trainer;
    private final Augmentation.Epochs augmented;
    private final ModelInputs validation;
    private final Checkpoints checkpoints;
    private final String device;
    private final TrainingListener listener;
    private final int batches;
    private final int batchesPerGroup;
    private Checkpoint state;
    private long steps;
    private NDArray seed;

    EpochLoop(Hyperparameters h, Encoding encoding, Model model, Trainer trainer, Augmentation.Epochs augmented,
            ModelInputs validation, Checkpoints checkpoints, String device, TrainingListener listener,
            Checkpoint start) {
        this.h = h;
        this.encoding = encoding;
        this.classification = encoding.isClassification();
        this.model = model;
        this.trainer = trainer;
        this.augmented = augmented;
        this.validation = validation;
        this.checkpoints = checkpoints;
        this.device = device;
        this.listener = listener;
        this.batches = (augmented.rows() + h.batchSize() - 1) / h.batchSize();
        // Validation rows are shaped like training rows (one encoding, one template).
        long batchValues = (long) h.batchSize() * Math.max(1, validation.rowSize());
        this.batchesPerGroup = (int) Math.max(1, Math.min(batches, GROUP_VALUES / batchValues));
        this.state = start;
        this.steps = start.optimizerSteps();
    }

    int batches() {
        return batches;
    }

    Ended run() throws IOException {
        int lastEpoch = state.epoch();
        for (int epoch = state.epoch() + 1; epoch <= h.epochs(); epoch++) {
            long started = System.nanoTime();
            Augmentation.Epoch drawn = augmented.epoch(epoch);
            double[] sums = trainEpoch(epoch, drawn);
            if (sums == null) {
                return new Ended(stopped(), lastEpoch, false);
            }
            int rows = drawn.rows();
            double trainLoss = sums[0] / rows;
            double trainMetric = sums[1] / rows;
            double[] val = validation.rows() == 0 ? new double[] {Double.NaN, Double.NaN} : validate();
            if (validation.rows() > 0 && !Double.isFinite(val[0])) {
                throw TrainingEngine.diverged(val[0], epoch);
            }
            // Without a validation split the training loss decides what "best" is.
            endEpoch(epoch, validation.rows() == 0 ? trainLoss : val[0]);
            double seconds = (System.nanoTime() - started) / 1e9;
            listener.onEpoch(new EpochMetrics(epoch, trainLoss, val[0], trainMetric, val[1], rows, seconds));
            listener.onCheckpoint(epoch, checkpoints.saveEpoch(model, state));
            lastEpoch = epoch;
            if (h.earlyStoppingPatience() > 0 && state.epochsWithoutImprovement() >= h.earlyStoppingPatience()) {
                listener.log("Early stopping after epoch " + epoch + ": no better validation loss for "
                        + state.epochsWithoutImprovement() + " epochs; keeping epoch " + state.bestEpoch());
                return new Ended(null, lastEpoch, true);
            }
        }
        return new Ended(null, lastEpoch, false);
    }

    /**
     * The batches of {@code epoch} (after a mid-epoch checkpoint, from the next batch on, in the same seeded order,
     * with the sums so far). Returns the epoch's loss sum and correct predictions (classification) or loss sum
     * (regression) over its rows, or null when a stop came first; {@link #state} then holds the point it stopped at.
     */
    private double[] trainEpoch(int epoch, Augmentation.Epoch drawn) {
        ModelInputs rows = drawn.inputs();
        int[] order = drawn.order(h.seed(), epoch);
        double[] sums = {state.lossSum(), state.metricSum()};
        for (int first = state.batches(); first < batches; first += batchesPerGroup) {
            int last = Math.min(batches, first + batchesPerGroup);
            try (NDManager group = trainer.getManager().newSubManager()) {
                NDList views = rows.batches(group, order, h.batchSize(), first, last, classification);
                Tally tally = new Tally(last - first);
                for (int b = first; b < last; b++) {
                    if (listener.stopRequested()) {
                        tally.addTo(sums, views, epoch);
                        state = state.atBatch(steps, b, sums[0], sums[1]);
                        return null;
                    }
                    step(views.get(2 * (b - first)), views.get(2 * (b - first) + 1), group, tally);
                    listener.onBatch(epoch, b + 1, batches);
                }
                tally.addTo(sums, views, epoch);
            }
        }
        return sums;
    }

    /** One optimizer step on one batch; its loss and predicted classes are kept for the group's tally. */
    private void step(NDArray x, NDArray y, NDManager group, Tally tally) {
        try (NDManager batch = trainer.getManager().newSubManager()) {
            // What is computed from x lives for this batch only; the loss and predictions live for the group.
            x.attach(batch);
            NDArray loss;
            try (ThreadGradients collector = new ThreadGradients()) {
                NDArray prediction = trainer.forward(new NDList(x)).singletonOrThrow();
                loss = trainer.getLoss().evaluate(new NDList(y), new NDList(prediction));
                collector.backward(loss, seed(loss));
                tally.add(loss, classification ? prediction.argMax(1) : null, (int) y.getShape().get(0), group);
            }
            optimize(loss);
            steps++;
        }
    }

    /**
     * The optimizer's step. At a trainer's first step DJL checks that the gradients' signed sum is not 0, taking 0 for
     * a missed {@code backward()}. Two cases pass that check wrongly:
     * <ul>
     *   <li>softmax cross-entropy on a single {@code Linear} layer (logistic regression): a row's gradients over the
     *       classes sum to exactly 0 for the bias and for every input column, so the sum is 0 in theory and often
     *       exactly 0 in float32 (two classes especially): the run failed at random at its first batch. When any
     *       gradient is not 0, the gradients were computed: the check is marked done and the step taken;
     *   <li>a batch the model already fits exactly (loss 0, every gradient 0, as a large network reaches on easy rows)
     *       where a resumed run starts a new trainer: that step would change nothing and is skipped (DJL checks
     *       again at the next one).
     * </ul>
     * With every gradient 0 and a loss above zero the refusal stands.
     */
    private void optimize(NDArray loss) {
        try {
            trainer.step();
        } catch (IllegalStateException e) {
            if (!String.valueOf(e.getMessage()).startsWith("Gradient values are all zeros")) {
                throw e;
            }
            if (anyGradient()) {
                markGradientsChecked(e);
                trainer.step();
            } else if (loss.getFloat() >= 1e-6f) {
                throw e;
            }
        }
    }

    private boolean anyGradient() {
        for (var parameter : model.getBlock().getParameters().values()) {
            NDArray array = parameter.getArray();
            if (array.hasGradient() && array.getGradient().abs().sum().getFloat() > 0) {
                return true;
            }
        }
        return false;
    }

    /** DJL offers no way to skip its first-step check: its flag is set as the check itself sets it on success. */
    private void markGradientsChecked(IllegalStateException refusal) {
        try {
            java.lang.reflect.Field checked = Trainer.class.getDeclaredField("gradientsChecked");
            checked.setAccessible(true);
            checked.setBoolean(trainer, true);
        } catch (ReflectiveOperationException | RuntimeException e) {
            refusal.addSuppressed(e);
            throw refusal;
        }
    }

    /** The gradient seed of a loss (ones of its shape), made once: the loss is a scalar at every batch. */
    private NDArray seed(NDArray loss) {
        if (seed == null || !seed.getShape().equals(loss.getShape()) || seed.getDataType() != loss.getDataType()) {
            seed = trainer.getManager().ones(loss.getShape(), loss.getDataType());
        }
        return seed;
    }

    /**
     * The losses and predicted classes of a group's batches, read back once for the group rather than once per batch
     * (each read waits for the device). The sums are the old per-batch ones: a float loss times the batch's rows,
     * added in order in double precision, so that a run resumed mid-epoch sums exactly like one that never stopped.
     */
    private final class Tally {
        private final NDList losses;
        private final NDList predicted;
        private final int[] rows;

        Tally(int batches) {
            losses = new NDList(batches);
            predicted = new NDList(batches);
            rows = new int[batches];
        }

        void add(NDArray loss, NDArray classes, int n, NDManager group) {
            rows[losses.size()] = n;
            losses.add(loss);
            loss.attach(group);
            if (classes != null) {
                predicted.add(classes);
                classes.attach(group);
            }
        }

        /**
         * Adds the batches so far to {@code sums} (at a group's end, or where a stop came first: a hand-over's
         * checkpoint carries no unchecked loss); a NaN or infinite loss ends the run: the training diverged.
         */
        void addTo(double[] sums, NDList views, int epoch) {
            int done = losses.size();
            if (done == 0) {
                return;
            }
            float[] values = NDArrays.stack(losses).toFloatArray();
            for (int i = 0; i < done; i++) {
                if (!Float.isFinite(values[i])) {
                    throw TrainingEngine.diverged(values[i], epoch);
                }
                sums[0] += values[i] * rows[i];
                if (!classification) {
                    sums[1] += values[i] * rows[i];
                }
            }
            if (classification) {
                NDList labels = new NDList(done);
                for (int i = 0; i < done; i++) {
                    labels.add(views.get(2 * i + 1));
                }
                sums[1] += NDArrays.concat(predicted).eq(NDArrays.concat(labels)).sum().getLong();
            }
        }
    }

    /** Mean loss and accuracy (or MSE) over the validation split, without dropout, batch-norm in inference mode. */
    private double[] validate() {
        int[] order = ModelInputs.identity(validation.rows());
        try (NDManager manager = trainer.getManager().newSubManager()) {
            NDArray lossSum = manager.create(0f);
            NDArray correct = manager.create(0L);
            for (int from = 0; from < validation.rows(); from += EVAL_BATCH) {
                int to = Math.min(validation.rows(), from + EVAL_BATCH);
                NDArray x = validation.batch(manager, order, from, to);
                NDArray y = validation.labels(manager, order, from, to, classification);
                NDArray prediction = trainer.evaluate(new NDList(x)).singletonOrThrow();
                lossSum.addi(trainer.getLoss().evaluate(new NDList(y), new NDList(prediction)).mul(to - from));
                if (classification) {
                    correct.addi(prediction.argMax(1).eq(y).sum());
                }
            }
            double loss = lossSum.getFloat();
            double metric = classification ? correct.getLong() : loss;
            return new double[] {loss / validation.rows(), metric / validation.rows()};
        }
    }

    /** The state after {@code epoch}: the best epoch so far and the epochs since it. */
    private void endEpoch(int epoch, double monitored) {
        model.setProperty("Epoch", String.valueOf(epoch));
        state = monitored < state.bestValidationLoss() ? Checkpoint.afterEpoch(epoch, monitored, epoch, 0, steps)
                : Checkpoint.afterEpoch(epoch, state.bestValidationLoss(), state.bestEpoch(),
                        state.epochsWithoutImprovement() + 1, steps);
    }

    /**
     * The training stopped before batch {@code state.batches() + 1} of epoch {@code state.epoch() + 1}. For a
     * hand-over it first writes a checkpoint there, so that the next node redoes nothing (at an epoch's first batch
     * the previous epoch's checkpoint already is that point). A run resumed from that very point and drained again
     * before its first batch leaves the checkpoint alone: it is the one the database names, and the only one.
     */
    private TrainingResult stopped() throws IOException {
        Checkpoint at = state;
        int epoch = at.epoch() + 1;
        String kept;
        if (at.batches() > 0 && listener.handOver()) {
            java.nio.file.Path dir = checkpoints.ofBatch(epoch, at.batches());
            if (Checkpoints.holds(dir, at)) {
                kept = "; the checkpoint at batch " + at.batches() + " of epoch " + epoch + " is still the latest";
            } else {
                checkpoints.saveAtomically(model, dir, at);
                listener.onBatchCheckpoint(epoch, at.batches(), dir);
                kept = "; checkpoint written at batch " + at.batches() + " of epoch " + epoch;
            }
        } else {
            kept = at.epoch() > 0 ? "; the last checkpoint is epoch " + at.epoch() : "; no checkpoint was written yet";
        }
        String message = "Stopped in epoch " + epoch + " before batch " + (at.batches() + 1) + " of " + batches + kept;
        listener.log(message);
        return new TrainingResult(Status.STOPPED, at.epoch(), false, device, Map.of(), Map.of(), encoding.labels(),
                null, message);
    }
}
