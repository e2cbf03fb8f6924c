package dev.runway.training.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.runway.base.BadInputException;
import dev.runway.base.Json;
import dev.runway.dataset.Preparation;
import dev.runway.dataset.Preparation.TaskType;
import dev.runway.training.engine.EngineSamples.Recorder;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The defaults of issue 15, pinned on the shared samples and two of the peer benchmark's tables: weight decay, a
 * cosine schedule after a warm-up, early stopping keeping the best epoch, class weights for a large imbalance. The
 * figures they were chosen by are in docs/training.md, "Defaults".
 */
class DefaultsTest {

    @TempDir
    Path work;

    @Test
    void every_template_defaults_to_weight_decay_a_cosine_schedule_and_early_stopping() {
        for (Template t : Template.values()) {
            Hyperparameters h = Hyperparameters.defaults(t);
            assertThat(h.schedule()).as(t.name()).isEqualTo(LearningRateSchedule.COSINE);
            assertThat(h.earlyStoppingPatience()).as(t.name()).isPositive();
            if (t == Template.LINEAR_REGRESSION) {
                // The slope and intercept are the model's answer: shrinking them would bias it.
                assertThat(h.weightDecay()).isZero();
                assertThat(h.classWeights()).isEqualTo(ClassWeights.OFF);
            } else {
                assertThat(h.weightDecay()).as(t.name()).isEqualTo(1e-4);
                assertThat(h.classWeights()).as(t.name()).isEqualTo(ClassWeights.AUTO);
                assertThat(h.warmupEpochs()).as(t.name()).isPositive();
            }
        }
        Hyperparameters logistic = Hyperparameters.defaults(Template.LOGISTIC_REGRESSION);
        assertThat(logistic.optimizer()).isEqualTo(OptimizerKind.ADAM);
        assertThat(logistic.learningRate()).isEqualTo(0.01);
        assertThat(logistic.batchSize()).isEqualTo(16);
        assertThat(logistic.warmupEpochs()).isEqualTo(5);
        assertThat(logistic.earlyStoppingPatience()).isEqualTo(20);
    }

    @Test
    void logistic_regression_on_digits_ends_without_a_spike_in_the_validation_loss() {
        // Before: Adam at a fixed 0.05 ended with the validation loss jumping 0.228 → 0.326 in the last epoch.
        Recorder recorder = new Recorder();
        TrainingResult result = TrainingEngine.train(Hyperparameters.defaults(Template.LOGISTIC_REGRESSION),
                EngineSamples.digits(), work, Optional.empty(), "cpu", recorder);

        List<EpochMetrics> last = recorder.epochs.subList(recorder.epochs.size() - 10, recorder.epochs.size());
        for (int i = 1; i < last.size(); i++) {
            assertThat(last.get(i).validationLoss()).as("epoch " + last.get(i).epoch())
                    .isLessThanOrEqualTo(last.get(i - 1).validationLoss() * 1.10);
        }
        assertThat(result.testMetrics().get("accuracy")).isGreaterThanOrEqualTo(0.97);   // scikit-learn tuned: 0.969
    }

    @Test
    void logistic_regression_defaults_reach_tuned_scikit_learn_on_the_samples() {
        assertThat(accuracy(Template.LOGISTIC_REGRESSION, EngineSamples.iris())).isGreaterThanOrEqualTo(0.93);
        // The peer's two-class small table failed at its first step (DJL's zero-sum gradient check) before.
        PreparedData small = peer("small.csv", "label", List.of("x1", "x2", "x3", "x4", "x5"));
        assertThat(accuracy(Template.LOGISTIC_REGRESSION, small)).isGreaterThanOrEqualTo(0.92);
        // On the wine-like table the old defaults reached 0.914 with logistic regression; the MLP's defaults reach
        // scikit-learn's tuned 0.943 on this split (logistic regression would need a decay that costs iris 13 points).
        PreparedData wine = peer("wine_like.csv", "cultivar", List.of("alcohol", "malic_acid", "ash", "alcalinity",
                "magnesium", "total_phenols", "flavanoids", "nonflavanoid_phenols", "proanthocyanins",
                "color_intensity", "hue", "od280", "proline"));
        assertThat(accuracy(Template.MLP, wine)).isGreaterThanOrEqualTo(0.94);
    }

    @Test
    void auto_class_weights_apply_only_to_a_large_imbalance_and_only_half_way() {
        Hyperparameters h = Hyperparameters.defaults(Template.LOGISTIC_REGRESSION);
        PreparedData iris = EngineSamples.iris();
        assertThat(TrainingEngine.classWeights(h, iris.encoding(), iris.train())).isNull();

        // 90 rows of class 0, 10 of class 1: 9 times apart.
        float[] labels = new float[100];
        for (int i = 90; i < 100; i++) {
            labels[i] = 1;
        }
        PreparedData.Split skewed = new PreparedData.Split(100, 1, new float[100], labels, null);
        float[] auto = TrainingEngine.classWeights(h, twoClasses(iris.encoding()), skewed);
        // Square root of balanced (0.556, 5), scaled to average 1 over the rows: the rare class 3 times heavier.
        assertThat(auto[1] / auto[0]).isCloseTo(3f, within(1e-4f));
        assertThat(90 * auto[0] + 10 * auto[1]).isCloseTo(100f, within(1e-3f));
        float[] balanced = TrainingEngine.classWeights(h.withClassWeights(ClassWeights.BALANCED),
                twoClasses(iris.encoding()), skewed);
        assertThat(balanced[0]).isCloseTo(100f / 180, within(1e-5f));
        assertThat(balanced[1]).isCloseTo(5f, within(1e-5f));
        assertThat(TrainingEngine.classWeights(h.withClassWeights(ClassWeights.OFF),
                twoClasses(iris.encoding()), skewed)).isNull();
    }

    @Test
    void the_run_log_says_what_the_schedule_decay_and_class_weights_are() {
        Recorder recorder = new Recorder();
        TrainingEngine.train(Hyperparameters.defaults(Template.LOGISTIC_REGRESSION).withEpochs(2)
                .withClassWeights(ClassWeights.BALANCED), EngineSamples.iris(), work, Optional.empty(), "cpu",
                recorder);

        // Two epochs: the warm-up is cut to one, so the last epoch trains at the scheduled rate.
        assertThat(recorder.log).anySatisfy(line -> assertThat(line).isEqualTo("Learning rate: warm-up over 7 "
                + "steps, then cosine from 0.01 down to 0 at the last epoch; L2 weight decay 1.0E-4"));
        assertThat(recorder.log).anySatisfy(line -> assertThat(line)
                .isEqualTo("Class weights (balanced): setosa 1.00, versicolor 1.00, virginica 1.00"));
    }

    @Test
    void learning_rates_warm_up_linearly_then_follow_the_schedule() {
        Hyperparameters h = Hyperparameters.defaults(Template.MLP).withLearningRate(0.1).withEpochs(10)
                .withSchedule(LearningRateSchedule.COSINE, 2);
        LearningRates cosine = new LearningRates(h, 10);   // 100 steps, 20 of warm-up
        assertThat(cosine.getNewValue(1)).isCloseTo(0.005f, within(1e-7f));
        assertThat(cosine.getNewValue(20)).isCloseTo(0.1f, within(1e-7f));
        assertThat(cosine.getNewValue(60)).isCloseTo(0.05f, within(1e-6f));
        assertThat(cosine.getNewValue(100)).isCloseTo(0f, within(1e-7f));
        LearningRates step = new LearningRates(h.withSchedule(LearningRateSchedule.STEP, 0), 10);
        assertThat(step.getNewValue(49)).isEqualTo(0.1f);
        assertThat(step.getNewValue(51)).isCloseTo(0.01f, within(1e-7f));
        assertThat(step.getNewValue(76)).isCloseTo(0.001f, within(1e-7f));
        LearningRates constant = new LearningRates(h.withSchedule(LearningRateSchedule.CONSTANT, 0), 10);
        assertThat(constant.getNewValue(1)).isEqualTo(0.1f);
        assertThat(constant.getNewValue(100)).isEqualTo(0.1f);
    }

    @Test
    void weight_decay_keeps_the_weights_small() {
        Hyperparameters h = Hyperparameters.defaults(Template.LOGISTIC_REGRESSION).withEpochs(30)
                .withEarlyStoppingPatience(0);
        PreparedData iris = EngineSamples.iris();
        TrainingResult free = TrainingEngine.train(h.withWeightDecay(0), iris, work.resolve("free"),
                Optional.empty(), "cpu", new Recorder());
        TrainingResult decayed = TrainingEngine.train(h.withWeightDecay(0.1), iris, work.resolve("decayed"),
                Optional.empty(), "cpu", new Recorder());

        assertThat(norm(decayed.modelDir(), h, iris)).isLessThan(norm(free.modelDir(), h, iris) * 0.7);
    }

    @Test
    void a_run_stored_before_these_settings_reads_back_as_it_trained() {
        String json = Json.write(Hyperparameters.defaults(Template.MLP)).replaceAll(
                ",\"(weightDecay|schedule|warmupEpochs|classWeights)\":[^,}]+", "");
        assertThat(json).doesNotContain("schedule");

        Hyperparameters old = Json.read(json, Hyperparameters.class);

        assertThat(old.weightDecay()).isZero();
        assertThat(old.schedule()).isEqualTo(LearningRateSchedule.CONSTANT);
        assertThat(old.warmupEpochs()).isZero();
        assertThat(old.classWeights()).isEqualTo(ClassWeights.OFF);
    }

    @Test
    void bad_decay_warm_up_and_class_weights_are_refused_at_their_field() {
        Hyperparameters h = Hyperparameters.defaults(Template.MLP);
        assertRefused(h.withWeightDecay(-0.1), Task.CLASSIFICATION, "weightDecay", "0 (off) or a positive number");
        assertRefused(h.withWeightDecay(Double.NaN), Task.CLASSIFICATION, "weightDecay", "0 (off)");
        assertRefused(h.withSchedule(LearningRateSchedule.COSINE, -1), Task.CLASSIFICATION, "warmupEpochs",
                "0 (none) or more");
        assertRefused(h.withClassWeights(ClassWeights.BALANCED), Task.REGRESSION, "classWeights",
                "a regression has none");
        assertRefused(h.withClassWeights(ClassWeights.BALANCED).withAugmentation(
                new Augmentation(0, 0, 0, true, 0, 0)), Task.CLASSIFICATION, "classWeights", "Oversampling");
        // Auto on a regression (the MLP's default) is simply off.
        Hyperparameters.check(h, Task.REGRESSION, 4);
    }

    private static Encoding twoClasses(Encoding e) {
        return new Encoding(e.task(), e.target(), e.features(), List.of("no", "yes"), e.vocabulary(),
                e.dropRowsWithMissing());
    }

    private static void assertRefused(Hyperparameters h, Task task, String field, String message) {
        assertThatThrownBy(() -> Hyperparameters.check(h, task, 4))
                .isInstanceOfSatisfying(BadInputException.class, e -> assertThat(e.field()).isEqualTo(field))
                .hasMessageContaining(message);
    }

    private double accuracy(Template template, PreparedData data) {
        Path dir = work.resolve(template.name() + "-" + System.nanoTime());
        return TrainingEngine.train(Hyperparameters.defaults(template), data, dir, Optional.empty(), "cpu",
                new Recorder()).testMetrics().get("accuracy");
    }

    private static PreparedData peer(String file, String target, List<String> features) {
        Path csv = Path.of("src/test/resources/peer").resolve(file);
        var profile = profile(csv);
        return dev.runway.training.TrainingData.load(csv, profile.delimiter(), profile,
                Preparation.defaults(target, features, TaskType.CLASSIFICATION));
    }

    private static dev.runway.dataset.CsvProfile profile(Path csv) {
        try {
            return dev.runway.dataset.CsvProfiler.profile(csv);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static double norm(Path modelDir, Hyperparameters h, PreparedData data) {
        try (ai.djl.Model model = TrainingEngine.load(modelDir, h, data.encoding(), ai.djl.Device.cpu())) {
            double sum = 0;
            for (var p : model.getBlock().getParameters().values()) {
                if (p.getType() == ai.djl.nn.Parameter.Type.WEIGHT) {
                    for (float w : p.getArray().toFloatArray()) {
                        sum += w * w;
                    }
                }
            }
            return Math.sqrt(sum);
        }
    }
}
