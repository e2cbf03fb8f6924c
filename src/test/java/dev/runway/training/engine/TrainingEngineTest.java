package dev.runway.training.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import dev.runway.base.BadInputException;
import dev.runway.dataset.Preparation.TaskType;
import dev.runway.training.TrainingData;
import dev.runway.training.engine.EngineSamples.Recorder;
import dev.runway.training.engine.TrainingResult.Status;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real DJL training on the sample data sets, with epochs capped so the class stays fast on two cores. */
class TrainingEngineTest {

    @TempDir
    Path work;

    private static TrainingResult train(Hyperparameters h, PreparedData data, Path dir) {
        return TrainingEngine.train(h, data, dir, Optional.empty(), "cpu", new Recorder());
    }

    @Test
    void linear_regression_with_sgd_recovers_intercept_and_slope_in_original_units() {
        Hyperparameters h = Hyperparameters.defaults(Template.LINEAR_REGRESSION);
        assertThat(h.optimizer()).isEqualTo(OptimizerKind.SGD);
        assertThat(h.epochs()).isEqualTo(100);

        TrainingResult result = train(h, EngineSamples.linear(), work);

        assertThat(result.status()).isEqualTo(Status.SUCCEEDED);
        assertThat(result.device()).isEqualTo("cpu");
        assertThat(result.coefficients().get("intercept")).isCloseTo(2.0, within(0.05));
        assertThat(result.coefficients().get("x")).isCloseTo(3.0, within(0.05));
        assertThat(result.testMetrics().get("mse")).isBetween(0.005, 0.015);
        assertThat(result.testMetrics().get("r2")).isGreaterThan(0.99);
        assertThat(result.modelDir().resolve(ModelFiles.METADATA)).exists();
    }

    @Test
    void the_same_seed_trains_the_same_model() {
        PreparedData data = EngineSamples.linear();
        Hyperparameters h = Hyperparameters.defaults(Template.LINEAR_REGRESSION).withEpochs(5);

        TrainingResult first = train(h, data, work.resolve("a"));
        TrainingResult second = train(h, data, work.resolve("b"));

        assertThat(second.testMetrics()).isEqualTo(first.testMetrics());
        assertThat(second.coefficients()).isEqualTo(first.coefficients());
    }

    @Test
    void iris_mlp_reaches_the_reference_accuracy() {
        Hyperparameters h = new Hyperparameters(Template.MLP, OptimizerKind.ADAM, 0.01, 16, 200, List.of(32),
                Activation.TANH, 0, 0, 42, 0, 0, 0, 0, 0, 0, 0, 0);

        TrainingResult result = train(h, EngineSamples.iris(), work);

        assertThat(result.testMetrics().get("accuracy")).isGreaterThanOrEqualTo(0.93);
        assertThat(result.testMetrics()).containsKeys("precision", "recall", "f1");
        assertThat(result.labels()).containsExactly("setosa", "versicolor", "virginica");
    }

    @Test
    void iris_mlp_with_the_template_defaults_reaches_the_reference_accuracy() {
        TrainingResult result = train(Hyperparameters.defaults(Template.MLP), EngineSamples.iris(), work);

        assertThat(result.testMetrics().get("accuracy")).isGreaterThanOrEqualTo(0.93);
    }

    @Test
    void logistic_regression_classifies_iris() {
        TrainingResult result = train(Hyperparameters.defaults(Template.LOGISTIC_REGRESSION), EngineSamples.iris(),
                work);

        assertThat(result.testMetrics().get("accuracy")).isGreaterThanOrEqualTo(0.93);
    }

    @Test
    void digits_mlp_64_128_10_reaches_the_reference_accuracy() {
        Hyperparameters h = Hyperparameters.defaults(Template.MLP);
        assertThat(h.hiddenLayers()).containsExactly(128);

        TrainingResult result = train(h, EngineSamples.digits(), work);

        assertThat(result.testMetrics().get("accuracy")).isGreaterThanOrEqualTo(0.95);
        assertThat(result.labels()).containsExactly("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
    }

    @Test
    void digits_cnn_reads_rows_as_8x8_images() {
        TrainingResult result = train(Hyperparameters.defaults(Template.CNN), EngineSamples.digits(), work);

        assertThat(result.testMetrics().get("accuracy")).isGreaterThanOrEqualTo(0.90);
    }

    @Test
    void support_tickets_transformer_reaches_the_reference_accuracy() {
        TrainingResult result = train(Hyperparameters.defaults(Template.TRANSFORMER), EngineSamples.tickets(),
                work);

        assertThat(result.testMetrics().get("accuracy")).isGreaterThanOrEqualTo(0.95);
    }

    @Test
    void support_tickets_bag_of_words_mlp_reaches_the_reference_accuracy() {
        Hyperparameters h = Hyperparameters.defaults(Template.MLP).withHiddenLayers(List.of(32)).withEpochs(10);

        PreparedData data = EngineSamples.tickets();

        TrainingResult result = train(h, data, work);

        assertThat(result.testMetrics().get("accuracy")).isGreaterThanOrEqualTo(0.95);
        EvaluationResult evaluation = TrainingEngine.evaluate(result.modelDir(), data);
        assertThat(evaluation.importance()).singleElement()
                .satisfies(f -> assertThat(f.feature()).isEqualTo("text"))
                .satisfies(f -> assertThat(f.importance()).isGreaterThan(0.3));
    }

    @Test
    void sgd_adam_and_rmsprop_all_fit_the_line() {
        PreparedData data = EngineSamples.linear();
        for (OptimizerKind optimizer : OptimizerKind.values()) {
            // A constant rate: 20 epochs of a cosine schedule leave Adam at R² 0.989.
            Hyperparameters h = Hyperparameters.defaults(Template.LINEAR_REGRESSION).withOptimizer(optimizer)
                    .withEpochs(20).withSchedule(LearningRateSchedule.CONSTANT, 0);

            TrainingResult result = train(h, data, work.resolve(optimizer.name()));

            assertThat(result.testMetrics().get("r2")).as(optimizer.name()).isGreaterThan(0.99);
        }
    }

    @Test
    void rmsprop_steps_a_parameter_even_where_the_threads_grad_mode_is_on() {
        // Executor threads may start with PyTorch's grad mode on: an in-place step on a leaf would be refused.
        ai.djl.engine.Engine.getInstance();   // loads the natives
        boolean before = ai.djl.pytorch.jni.JniUtils.isGradMode();
        try (ai.djl.ndarray.NDManager manager = ai.djl.ndarray.NDManager.newBaseManager()) {
            ai.djl.ndarray.NDArray weight = manager.create(new float[] {1f, 2f});
            weight.setRequiresGradient(true);
            ai.djl.ndarray.NDArray gradient = manager.create(new float[] {0.5f, -0.5f});
            ai.djl.pytorch.jni.JniUtils.setGradMode(true);
            RmsProp.builder(ai.djl.training.tracker.Tracker.fixed(0.1f)).build().update("w", weight, gradient);
            float[] stepped = weight.toFloatArray();
            assertThat(stepped[0]).isLessThan(1f);
            assertThat(stepped[1]).isGreaterThan(2f);
        } finally {
            ai.djl.pytorch.jni.JniUtils.setGradMode(before);
        }
    }

    @Test
    void bad_hyperparameters_are_refused_with_a_message_at_the_field() {
        PreparedData iris = EngineSamples.iris();
        PreparedData digits = EngineSamples.digits();
        Hyperparameters mlp = Hyperparameters.defaults(Template.MLP);
        Task task = Task.CLASSIFICATION;

        assertRefused(mlp.withLearningRate(-0.1), task, iris, "learningRate", "learning rate must be a positive");
        assertRefused(mlp.withLearningRate(0), task, iris, "learningRate", "positive number");
        assertRefused(mlp.withEpochs(0), task, iris, "epochs", "at least 1 epoch");
        assertRefused(new Hyperparameters(Template.MLP, OptimizerKind.ADAM, 0.01, 0, 10, List.of(8),
                Activation.RELU, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0), task, iris, "batchSize", "at least 1");
        assertRefused(new Hyperparameters(Template.MLP, OptimizerKind.ADAM, 0.01, 8, 10, List.of(8),
                Activation.RELU, 1.0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0), task, iris, "dropout", "below 1");
        assertRefused(mlp.withHiddenLayers(List.of()), task, iris, "hiddenLayers", "at least one hidden layer");
        assertRefused(mlp.withHiddenLayers(List.of(16, 0)), task, iris, "hiddenLayers", "positive whole number");
        assertRefused(Hyperparameters.defaults(Template.LINEAR_REGRESSION), task, iris, "template",
                "does not fit a classification task");
        assertRefused(Hyperparameters.defaults(Template.CNN), task, iris, "imageWidth",
                "must equal the 4 feature values per row");
        Hyperparameters.check(Hyperparameters.defaults(Template.CNN), task, 64);
        // What only the data tells is asserted again when training starts.
        assertThatThrownBy(() -> TrainingEngine.train(Hyperparameters.defaults(Template.CNN), iris, work,
                Optional.empty(), "cpu", new Recorder()))
                .isInstanceOfSatisfying(BadInputException.class, e -> assertThat(e.field()).isEqualTo("imageWidth"))
                .hasMessageContaining("must equal the 4 feature values per row");
        Hyperparameters.checkData(Hyperparameters.defaults(Template.CNN), digits);

        if (Engine.getInstance().getGpuCount() == 0) {
            assertThatThrownBy(() -> TrainingEngine.train(mlp, iris, work, Optional.empty(), "gpu", new Recorder()))
                    .isInstanceOf(BadInputException.class)
                    .hasMessageContaining("no GPU")
                    .extracting(e -> ((BadInputException) e).field()).isEqualTo("device");
        }
    }

    private static void assertRefused(Hyperparameters h, Task task, PreparedData data, String field,
            String message) {
        assertThatThrownBy(() -> Hyperparameters.check(h, task, data.encoding().width()))
                .isInstanceOf(BadInputException.class)
                .hasMessageContaining(message)
                .extracting(e -> ((BadInputException) e).field()).isEqualTo(field);
    }

    @Test
    void two_trainings_on_two_threads_at_once_both_finish() throws Exception {
        // Two executor slots of one node: DJL's own gradient collector refused the second one while the first was open.
        Hyperparameters h = Hyperparameters.defaults(Template.MLP).withEpochs(4);
        PreparedData data = EngineSamples.digits();
        ExecutorService slots = Executors.newFixedThreadPool(2);
        try {
            Future<TrainingResult> first = slots.submit(() -> train(h, data, work.resolve("first")));
            Future<TrainingResult> second = slots.submit(() -> train(h, data, work.resolve("second")));

            assertThat(first.get(3, TimeUnit.MINUTES).status()).isEqualTo(Status.SUCCEEDED);
            assertThat(second.get(3, TimeUnit.MINUTES).status()).isEqualTo(Status.SUCCEEDED);
        } finally {
            slots.shutdownNow();
        }
    }

    @Test
    void a_stop_request_stops_within_one_batch_and_returns_stopped() {
        Recorder listener = new Recorder(5);

        TrainingResult result = TrainingEngine.train(Hyperparameters.defaults(Template.MLP), EngineSamples.digits(),
                work, Optional.empty(), "cpu", listener);

        assertThat(result.status()).isEqualTo(Status.STOPPED);
        assertThat(listener.batches).isEqualTo(5);
        assertThat(listener.batchesAtStop).isEqualTo(5);
        assertThat(listener.epochs).isEmpty();
    }

    @Test
    void a_resumed_training_continues_at_the_next_epoch() {
        PreparedData data = EngineSamples.iris();
        Hyperparameters h = Hyperparameters.defaults(Template.MLP).withEarlyStoppingPatience(0).withEpochs(6);
        Recorder first = new Recorder();
        TrainingEngine.train(h.withEpochs(3), data, work.resolve("first"), Optional.empty(), "cpu", first);
        Path checkpoint = work.resolve("first/checkpoints/epoch-3");
        assertThat(first.checkpoints).containsExactly(1, 2, 3);
        assertThat(checkpoint.resolve(ModelFiles.CHECKPOINT)).exists();

        Recorder resumed = new Recorder();
        TrainingResult result = TrainingEngine.train(h, data, work.resolve("second"), Optional.of(checkpoint),
                "cpu", resumed);

        assertThat(resumed.epochs).extracting(EpochMetrics::epoch).containsExactly(4, 5, 6);
        assertThat(resumed.log).anyMatch(l -> l.contains("continuing with epoch 4")
                && l.contains("optimizer's own state"));
        assertThat(result.epochsRun()).isEqualTo(6);
        // The parameters were loaded, not re-initialised: epoch 4 starts where epoch 3 ended.
        assertThat(resumed.epochs.get(0).trainLoss()).isLessThan(first.epochs.get(0).trainLoss());
    }

    @Test
    void a_training_resumed_where_its_first_batch_is_fitted_exactly_goes_on() throws Exception {
        // Two classes far apart and a huge SGD step: after the first step every logit margin is in the thousands,
        // so each later batch has loss 0 and every gradient exactly 0. DJL refuses a trainer's first step with all
        // gradients zero (it takes it for a missed backward()); a resumed training's first step is such a step.
        StringBuilder csv = new StringBuilder("x,label\n");
        for (int i = 0; i < 40; i++) {
            csv.append(i % 2 == 0 ? -1 - i % 5 : 1 + i % 5).append(',').append(i % 2 == 0 ? "neg" : "pos").append('\n');
        }
        Path file = work.resolve("separable.csv");
        Files.writeString(file, csv);
        PreparedData data = TrainingData.load(file, ',', dev.runway.dataset.CsvProfiler.profile(file),
                dev.runway.dataset.Preparation.defaults("label", List.of("x"), TaskType.CLASSIFICATION));
        Hyperparameters h = new Hyperparameters(Template.LOGISTIC_REGRESSION, OptimizerKind.SGD, 1000, 64, 4,
                List.of(), Activation.RELU, 0, 0, 42, 0, 0, 0, 0, 0, 0, 64, 2000);
        Recorder first = new Recorder();
        TrainingEngine.train(h.withEpochs(2), data, work.resolve("first"), Optional.empty(), "cpu", first);
        assertThat(first.epochs.get(1).trainLoss()).isZero();

        Recorder resumed = new Recorder();
        TrainingResult result = TrainingEngine.train(h, data, work.resolve("second"),
                Optional.of(work.resolve("first/checkpoints/epoch-2")), "cpu", resumed);

        assertThat(result.status()).isEqualTo(Status.SUCCEEDED);
        assertThat(resumed.epochs).extracting(EpochMetrics::epoch).containsExactly(3, 4);
        assertThat(result.testMetrics().get("accuracy")).isEqualTo(1.0);
    }

    @Test
    void a_training_handed_over_mid_epoch_and_resumed_there_ends_exactly_like_one_never_stopped() {
        PreparedData data = EngineSamples.iris();
        // SGD without momentum and no dropout: the optimizer has no state beyond its update count and nothing draws
        // random numbers after the initialisation, so the resumed training repeats the same arithmetic.
        Hyperparameters h = new Hyperparameters(Template.MLP, OptimizerKind.SGD, 0.1, 16, 4, List.of(32),
                Activation.RELU, 0, 0, 42, 0, 0, 0, 0, 0, 0, 64, 2000);
        Recorder whole = new Recorder();
        TrainingResult uninterrupted = TrainingEngine.train(h, data, work.resolve("whole"), Optional.empty(), "cpu",
                whole);
        int batches = whole.batches / 4;
        assertThat(batches).as("batches per epoch").isGreaterThan(3);

        // Drained before batch 4 of epoch 2: a checkpoint at that batch, no epoch metrics for the partial epoch.
        Recorder drained = new Recorder(batches + 3);
        drained.handOver = true;
        TrainingResult stopped = TrainingEngine.train(h, data, work.resolve("drained"), Optional.empty(), "cpu",
                drained);
        assertThat(stopped.status()).isEqualTo(Status.STOPPED);
        assertThat(stopped.message()).endsWith("checkpoint written at batch 3 of epoch 2");
        assertThat(drained.checkpoints).containsExactly(1);
        assertThat(drained.batchCheckpoints).containsExactly(new int[] {2, 3});
        Path checkpoint = work.resolve("drained/checkpoints/epoch-2-batch-3");
        assertThat(ModelFiles.readCheckpoint(checkpoint)).extracting(ModelFiles.Checkpoint::epoch,
                ModelFiles.Checkpoint::batches, ModelFiles.Checkpoint::optimizerSteps)
                .containsExactly(1, 3, (long) batches + 3);

        Recorder resumed = new Recorder();
        TrainingResult result = TrainingEngine.train(h, data, work.resolve("drained"), Optional.of(checkpoint), "cpu",
                resumed);

        assertThat(resumed.log).anyMatch(l -> l.contains("the checkpoint at batch 3 of epoch 2")
                && l.contains("continuing with batch 4"));
        assertThat(resumed.batches).as("batches redone: none").isEqualTo(4 * batches - (batches + 3));
        assertThat(resumed.epochs).extracting(EpochMetrics::epoch).containsExactly(2, 3, 4);
        for (int i = 0; i < 3; i++) {
            EpochMetrics expected = whole.epochs.get(i + 1);
            EpochMetrics actual = resumed.epochs.get(i);
            // Epoch 2's figures include the batches done before the hand-over (the checkpoint keeps their sums).
            assertThat(actual.trainLoss()).isEqualTo(expected.trainLoss());
            assertThat(actual.trainMetric()).isEqualTo(expected.trainMetric());
            assertThat(actual.validationLoss()).isEqualTo(expected.validationLoss());
            assertThat(actual.validationMetric()).isEqualTo(expected.validationMetric());
        }
        assertThat(result.testMetrics()).isEqualTo(uninterrupted.testMetrics());
    }

    @Test
    void a_run_drained_again_before_its_first_batch_after_a_hand_over_leaves_its_checkpoint_as_it_is()
            throws Exception {
        Hyperparameters h = Hyperparameters.defaults(Template.MLP).withEpochs(3);
        Recorder drained = new Recorder(3);
        drained.handOver = true;
        TrainingEngine.train(h, EngineSamples.iris(), work, Optional.empty(), "cpu", drained);
        Path checkpoint = work.resolve("checkpoints/epoch-1-batch-3");
        assertThat(drained.batchCheckpoints).containsExactly(new int[] {1, 3});
        assertThat(work.resolve("checkpoints/epoch-1-batch-3.partial")).as("written aside, then renamed")
                .doesNotExist();
        FileTime written = Files.getLastModifiedTime(checkpoint.resolve(ModelFiles.CHECKPOINT));
        Thread.sleep(20);

        // Resumed there, and drained again before a batch ran: the checkpoint the database names is not rewritten
        // (a rewrite cut short would lose the only one).
        Recorder again = new Recorder(0);
        again.handOver = true;
        TrainingResult result = TrainingEngine.train(h, EngineSamples.iris(), work, Optional.of(checkpoint), "cpu",
                again);

        assertThat(result.status()).isEqualTo(Status.STOPPED);
        assertThat(result.message()).endsWith("the checkpoint at batch 3 of epoch 1 is still the latest");
        assertThat(again.batchCheckpoints).isEmpty();
        assertThat(Files.getLastModifiedTime(checkpoint.resolve(ModelFiles.CHECKPOINT))).isEqualTo(written);
        assertThat(ModelFiles.readCheckpoint(checkpoint)).extracting(ModelFiles.Checkpoint::epoch,
                ModelFiles.Checkpoint::batches).containsExactly(0, 3);
    }

    @Test
    void a_stop_that_is_no_hand_over_writes_no_mid_epoch_checkpoint() {
        Hyperparameters h = Hyperparameters.defaults(Template.MLP).withEpochs(3);
        Recorder cancelled = new Recorder(5);

        TrainingResult result = TrainingEngine.train(h, EngineSamples.iris(), work, Optional.empty(), "cpu",
                cancelled);

        assertThat(result.status()).isEqualTo(Status.STOPPED);
        assertThat(cancelled.batchCheckpoints).isEmpty();
        assertThat(work.resolve("checkpoints")).satisfiesAnyOf(
                dir -> assertThat(dir).doesNotExist(),
                dir -> assertThat(Files.list(dir)).noneMatch(p -> p.getFileName().toString().contains("batch")));
    }

    @Test
    void a_diverging_learning_rate_ends_with_a_message_in_words() {
        Hyperparameters h = Hyperparameters.defaults(Template.LINEAR_REGRESSION).withLearningRate(1e6);

        assertThatThrownBy(() -> train(h, EngineSamples.linear(), work))
                .isInstanceOf(TrainingDivergedException.class)
                .hasMessageMatching("Training diverged: the loss became (NaN|infinite) in epoch \\d+\\. Lower the "
                        + "learning rate.*");
    }

    @Test
    void early_stopping_keeps_the_best_epoch() {
        Hyperparameters h = Hyperparameters.defaults(Template.MLP).withEarlyStoppingPatience(2).withEpochs(60);
        Recorder listener = new Recorder();

        TrainingResult result = TrainingEngine.train(h, EngineSamples.digits(), work, Optional.empty(), "cpu",
                listener);

        assertThat(result.stoppedEarly()).isTrue();
        assertThat(result.epochsRun()).isLessThan(60);
        double best = listener.epochs.stream().mapToDouble(EpochMetrics::validationLoss).min().orElseThrow();
        double last = listener.epochs.get(listener.epochs.size() - 1).validationLoss();
        assertThat(last).isGreaterThan(best);
        assertThat(result.testMetrics().get("accuracy")).isGreaterThanOrEqualTo(0.95);
    }

    @Test
    void the_best_parameters_stay_the_best_epochs_however_many_checkpoints_follow() throws Exception {
        // best/ and a checkpoint's best/ are links to the best epoch's file: later epochs must not change them.
        Hyperparameters h = Hyperparameters.defaults(Template.MLP).withEarlyStoppingPatience(2).withEpochs(60);

        TrainingResult result = TrainingEngine.train(h, EngineSamples.digits(), work, Optional.empty(), "cpu",
                new Recorder());

        Path lastCheckpoint = work.resolve("checkpoints").resolve("epoch-" + result.epochsRun());
        int bestEpoch = ModelFiles.readCheckpoint(lastCheckpoint).bestEpoch();
        assertThat(bestEpoch).isLessThan(result.epochsRun());
        String file = String.format("model-%04d.params", bestEpoch);
        byte[] bestParameters = Files.readAllBytes(work.resolve("checkpoints").resolve("epoch-" + bestEpoch)
                .resolve(file));
        assertThat(lastCheckpoint.resolve("best").resolve(file)).hasBinaryContent(bestParameters);
        assertThat(work.resolve("best").resolve(file)).hasBinaryContent(bestParameters);
        assertThat(work.resolve("model").resolve(file)).hasBinaryContent(bestParameters);
        try (var files = Files.list(work.resolve("best"))) {
            assertThat(files.toList()).hasSize(1);
        }
    }

    @Test
    void evaluation_gives_a_confusion_matrix_over_the_test_rows_and_importance_per_feature() {
        PreparedData data = EngineSamples.iris();
        TrainingResult trained = train(Hyperparameters.defaults(Template.LOGISTIC_REGRESSION), data, work);

        EvaluationResult result = TrainingEngine.evaluate(trained.modelDir(), data);

        assertThat(result.rows()).isEqualTo(data.test().rows());
        long total = result.confusion().stream().flatMap(List::stream).mapToLong(Long::longValue).sum();
        assertThat(total).isEqualTo(data.test().rows());
        assertThat(result.labels()).containsExactly("setosa", "versicolor", "virginica");
        assertThat(result.perClass()).extracting(EvaluationResult.ClassMetrics::support)
                .containsExactly(10L, 10L, 10L);
        assertThat(result.metrics().get("accuracy")).isEqualTo(trained.testMetrics().get("accuracy"));
        assertThat(result.importance()).extracting(EvaluationResult.FeatureImportance::feature)
                .containsExactly("sepal_length", "sepal_width", "petal_length", "petal_width");
        assertThat(result.importance().get(2).importance() + result.importance().get(3).importance())
                .isGreaterThan(0.1);
    }

    @Test
    void regression_evaluation_gives_points_and_the_rise_in_mse_per_feature() {
        PreparedData data = EngineSamples.linear();
        TrainingResult trained = train(Hyperparameters.defaults(Template.LINEAR_REGRESSION).withEpochs(10), data,
                work);

        EvaluationResult result = TrainingEngine.evaluate(trained.modelDir(), data);

        assertThat(result.points()).hasSize(data.test().rows());
        assertThat(result.metrics()).containsKeys("mse", "mae", "r2");
        assertThat(result.importance()).singleElement()
                .satisfies(f -> assertThat(f.importance()).isGreaterThan(10));
    }

    @Test
    void a_model_evaluates_on_another_version_with_the_same_columns() {
        PreparedData data = EngineSamples.iris();
        TrainingResult trained = train(Hyperparameters.defaults(Template.LOGISTIC_REGRESSION), data, work);

        PreparedData whole = TrainingData.loadForModel(EngineSamples.SAMPLES.resolve("iris.csv"), ',',
                EngineSamples.profile("iris.csv"), trained.modelDir());
        EvaluationResult result = TrainingEngine.evaluate(trained.modelDir(), whole);

        assertThat(result.rows()).isEqualTo(150);
        assertThat(result.metrics().get("accuracy")).isGreaterThan(0.9);
        assertThatThrownBy(() -> TrainingEngine.evaluate(trained.modelDir(), EngineSamples.digits()))
                .isInstanceOf(BadInputException.class)
                .hasMessageContaining("not encoded like the model's training data");
    }

    @Test
    void the_stratified_split_keeps_class_proportions() {
        PreparedData data = EngineSamples.iris();

        assertThat(counts(data.train().y(), 3)).containsExactly(35, 35, 35);
        assertThat(counts(data.validation().y(), 3)).containsExactly(5, 5, 5);
        assertThat(counts(data.test().y(), 3)).containsExactly(10, 10, 10);
    }

    private static int[] counts(float[] labels, int classes) {
        int[] counts = new int[classes];
        for (float l : labels) {
            counts[(int) l]++;
        }
        return counts;
    }

    @Test
    void standardisation_is_fitted_on_the_training_split_only() {
        PreparedData data = EngineSamples.linear();
        Encoding.Feature x = data.encoding().features().get(0);

        assertThat(mean(data.train().x())).isCloseTo(0, within(1e-5));
        assertThat(std(data.train().x())).isCloseTo(1, within(1e-4));
        // Undo the scaling of the training rows: their own mean is the one fitted.
        double[] raw = new double[data.train().rows()];
        for (int i = 0; i < raw.length; i++) {
            raw[i] = data.train().x()[i] * x.std() + x.mean();
        }
        assertThat(Arrays.stream(raw).average().orElseThrow()).isCloseTo(x.mean(), within(1e-4));
        double wholeFileMean = EngineSamples.profile("linear.csv").column("x").orElseThrow().mean();
        assertThat(x.mean()).isNotCloseTo(wholeFileMean, within(1e-9));
        assertThat(mean(data.test().x())).isNotCloseTo(0, within(1e-6));
    }

    private static double mean(float[] values) {
        double sum = 0;
        for (float v : values) {
            sum += v;
        }
        return sum / values.length;
    }

    private static double std(float[] values) {
        double mean = mean(values);
        double sum = 0;
        for (float v : values) {
            sum += (v - mean) * (v - mean);
        }
        return Math.sqrt(sum / values.length);
    }

    @Test
    void missing_values_are_imputed_from_the_training_split_and_categories_one_hot_encoded() throws Exception {
        StringBuilder csv = new StringBuilder("size,colour,price\n");
        for (int i = 0; i < 100; i++) {
            String size = i % 10 == 0 ? "" : String.valueOf(i);
            String colour = i % 7 == 0 ? "NA" : i % 3 == 0 ? "red" : "blue";
            csv.append(size).append(',').append(colour).append(',').append(2 * i).append('\n');
        }
        Path file = work.resolve("prices.csv");
        Files.writeString(file, csv);
        var profile = dev.runway.dataset.CsvProfiler.profile(file);
        var preparation = dev.runway.dataset.Preparation.defaults("price", List.of("size", "colour"),
                TaskType.REGRESSION);

        PreparedData data = TrainingData.load(file, ',', profile, preparation);

        assertThat(data.encoding().columnNames()).containsExactly("size", "colour=blue", "colour=red");
        assertThat(data.train().rows() + data.validation().rows() + data.test().rows()).isEqualTo(100);
        Encoding.Feature colour = data.encoding().features().get(1);
        assertThat(colour.fillCategory()).isEqualTo("blue");
        for (int r = 0; r < data.train().rows(); r++) {
            float[] row = data.train().row(r);
            assertThat(row[1] + row[2]).isEqualTo(1f);
        }

        PreparedData dropped = TrainingData.load(file, ',', profile, new dev.runway.dataset.Preparation("price",
                List.of("size", "colour"), TaskType.REGRESSION, 0.7, 0.1, 0.2, 42,
                dev.runway.dataset.Preparation.MissingValues.DROP_ROWS, true));
        int kept = dropped.train().rows() + dropped.validation().rows() + dropped.test().rows();
        assertThat(kept).isEqualTo((int) java.util.stream.IntStream.range(0, 100)
                .filter(i -> i % 10 != 0 && i % 7 != 0).count());
    }

    @Test
    void decimal_commas_are_read_as_the_profile_read_them_and_infinities_as_missing_values() throws Exception {
        StringBuilder csv = new StringBuilder("size;price\n");
        for (int i = 0; i < 50; i++) {
            String size = i == 7 ? "inf" : i == 9 ? "-Infinity" : i + ",5";
            csv.append(size).append(';').append(2 * i).append(",25\n");
        }
        Path file = work.resolve("eu.csv");
        Files.writeString(file, csv);
        var profile = dev.runway.dataset.CsvProfiler.profile(file);
        assertThat(profile.decimalSeparator()).isEqualTo(',');
        assertThat(profile.column("size").orElseThrow().invalidNumbers()).isEqualTo(2);
        var impute = dev.runway.dataset.Preparation.defaults("price", List.of("size"), TaskType.REGRESSION);

        PreparedData data = TrainingData.load(file, ';', profile, impute);

        assertThat(data.train().rows() + data.validation().rows() + data.test().rows()).isEqualTo(50);
        Encoding.Feature size = data.encoding().features().get(0);
        assertThat(size.fill()).isBetween(0.5, 49.5); // a mean of x,5 values, not 0 from unread numbers
        float[] targets = data.train().y();
        for (float t : targets) {
            assertThat(t - Math.floor(t)).isEqualTo(0.25); // every target read whole: 2i + 0.25
        }

        PreparedData dropped = TrainingData.load(file, ';', profile, new dev.runway.dataset.Preparation("price",
                List.of("size"), TaskType.REGRESSION, 0.7, 0.1, 0.2, 42,
                dev.runway.dataset.Preparation.MissingValues.DROP_ROWS, true));
        assertThat(dropped.train().rows() + dropped.validation().rows() + dropped.test().rows()).isEqualTo(48);
    }

    @Test
    void a_split_left_empty_by_the_data_fails_clearly_instead_of_measuring_nothing() throws Exception {
        Path file = work.resolve("four.csv");
        Files.writeString(file, "x,label\n1,a\n2,b\n3,a\n4,b\n");
        var profile = dev.runway.dataset.CsvProfiler.profile(file);
        var tiny = dev.runway.dataset.Preparation.defaults("label", List.of("x"), TaskType.CLASSIFICATION);

        assertThatThrownBy(() -> TrainingData.load(file, ',', profile, tiny))
                .isInstanceOf(BadInputException.class)
                .hasMessageContaining("4 usable rows")
                .hasMessageContaining("a validation share of 0.1 leaves the validation set empty")
                .extracting(e -> ((BadInputException) e).field()).isEqualTo("validationRatio");

        // Rows dropped for a missing value can empty the test set even where the profile's row count was enough.
        Path holes = work.resolve("holes.csv");
        Files.writeString(holes, "x,y\n1,1\n2,2\n,3\n,4\n,5\n6,6\n,7\n,8\n,9\n,10\n");
        var holesProfile = dev.runway.dataset.CsvProfiler.profile(holes);
        var drop = new dev.runway.dataset.Preparation("y", List.of("x"), TaskType.REGRESSION, 0.6, 0.2, 0.2, 42,
                dev.runway.dataset.Preparation.MissingValues.DROP_ROWS, true);
        drop.checkSplit(holesProfile);
        assertThatThrownBy(() -> TrainingData.load(holes, ',', holesProfile, drop))
                .isInstanceOf(BadInputException.class)
                .hasMessageContaining("3 usable rows (rows without a target or with a missing value are left out)")
                .hasMessageContaining("a test share of 0.2 leaves no row to test the model on");
    }
}
