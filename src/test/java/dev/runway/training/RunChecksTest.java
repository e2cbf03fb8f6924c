package dev.runway.training;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runway.base.BadInputException;
import dev.runway.dataset.CsvProfile;
import dev.runway.dataset.CsvProfiler;
import dev.runway.dataset.Preparation;
import dev.runway.dataset.Preparation.TaskType;
import dev.runway.training.engine.Activation;
import dev.runway.training.engine.Augmentation;
import dev.runway.training.engine.Hyperparameters;
import dev.runway.training.engine.OptimizerKind;
import dev.runway.training.engine.Template;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The submission checks of the CNN and Transformer sizes and of augmentation: the dialog's and the API's limits. */
class RunChecksTest {

    private static final Preparation DIGITS = Preparation.defaults("digit",
            IntStream.range(0, 64).mapToObj(i -> "pixel_" + i).toList(), TaskType.CLASSIFICATION);
    private static final Preparation TICKETS = Preparation.defaults("intent", List.of("text"),
            TaskType.TEXT_CLASSIFICATION);

    @Test
    void cnn_image_sizes_are_checked_at_their_field() throws Exception {
        CsvProfile digits = CsvProfiler.profile(Path.of("samples/digits.csv"));
        assertThatCode(() -> RunChecks.check(cnn(1, 8, 8), DIGITS, digits)).doesNotThrowAnyException();
        assertRefused(cnn(0, 8, 8), DIGITS, digits, "imageChannels", "from 1 to 64");
        assertRefused(cnn(1, 1, 64), DIGITS, digits, "imageHeight", "from 2 to 1,024");
        assertRefused(cnn(1, 8, 9), DIGITS, digits, "imageWidth", "must equal the 64 feature values per row");
        assertRefused(cnn(1, 8, 8).withAugmentation(new Augmentation(0, 31, 0, false, 0, 0)), DIGITS, digits,
                "augmentation.rotation", "from 0 to 30 degrees");
        assertRefused(cnn(1, 8, 8).withAugmentation(new Augmentation(4, 0, 0, false, 0, 0)), DIGITS, digits,
                "augmentation.shift", "out of sight: use at most 3");
    }

    @Test
    void transformer_sizes_are_checked_at_their_field() throws Exception {
        CsvProfile tickets = CsvProfiler.profile(Path.of("samples/support_tickets.csv"));
        assertThatCode(() -> RunChecks.check(transformer(32, 4, 1, 32, 2000), TICKETS, tickets))
                .doesNotThrowAnyException();
        assertRefused(transformer(0, 4, 1, 32, 2000), TICKETS, tickets, "embeddingSize", "from 1 to 4,096");
        assertRefused(transformer(32, 5, 1, 32, 2000), TICKETS, tickets, "attentionHeads", "must divide");
        assertRefused(transformer(32, 4, 0, 32, 2000), TICKETS, tickets, "encoderLayers", "from 1 to 48");
        assertRefused(transformer(32, 4, 1, 5000, 2000), TICKETS, tickets, "maxTokens", "from 1 to 4,096");
        assertRefused(transformer(32, 4, 1, 32, 2), TICKETS, tickets, "vocabularySize", "from 3 to 1,000,000");
        assertRefused(transformer(32, 4, 1, 32, 2000).withAugmentation(new Augmentation(0, 0, 0, false, 0, 0.7)),
                TICKETS, tickets, "augmentation.tokenSwap", "from 0 to 0.5");
    }

    @Test
    void the_settings_have_one_set_of_limits_checked_at_submission() throws Exception {
        CsvProfile iris = CsvProfiler.profile(Path.of("samples/iris.csv"));
        Preparation p = Preparation.defaults("species",
                List.of("sepal_length", "sepal_width", "petal_length", "petal_width"), TaskType.CLASSIFICATION);
        Hyperparameters mlp = Hyperparameters.defaults(Template.MLP);
        assertThatCode(() -> RunChecks.check(mlp.withEpochs(Hyperparameters.MAX_EPOCHS)
                .withHiddenLayers(List.of(Hyperparameters.MAX_LAYER)), p, iris)).doesNotThrowAnyException();
        // The engine once allowed up to 100,000 epochs and layers of 65,536 units; submission 10,000 and 8,192.
        assertRefused(mlp.withEpochs(10_001), p, iris, "epochs", "at most 10,000");
        assertRefused(mlp.withEpochs(0), p, iris, "epochs", "at least 1 epoch");
        assertRefused(mlp.withHiddenLayers(List.of(8_193)), p, iris, "hiddenLayers", "up to 8,192");
        assertRefused(mlp.withLearningRate(11), p, iris, "learningRate", "positive number up to 10");
        assertRefused(Hyperparameters.defaults(Template.LINEAR_REGRESSION), p, iris, "template",
                "does not fit a classification task");
        // A Transformer's feed-forward size is its first hidden layer: the same limit holds.
        CsvProfile tickets = CsvProfiler.profile(Path.of("samples/support_tickets.csv"));
        assertRefused(transformer(32, 4, 1, 32, 2000).withHiddenLayers(List.of(65_536)), TICKETS, tickets,
                "hiddenLayers", "up to 8,192");
    }

    private static Hyperparameters cnn(int channels, int height, int width) {
        return new Hyperparameters(Template.CNN, OptimizerKind.ADAM, 0.005, 32, 2, List.of(8), Activation.RELU, 0.1,
                0, 42, width, height, channels, 0, 0, 0, 0, 0);
    }

    private static Hyperparameters transformer(int embedding, int heads, int layers, int tokens, int vocabulary) {
        return new Hyperparameters(Template.TRANSFORMER, OptimizerKind.ADAM, 0.002, 32, 2, List.of(64),
                Activation.RELU, 0.1, 0, 42, 0, 0, 0, embedding, heads, layers, tokens, vocabulary);
    }

    private static void assertRefused(Hyperparameters h, Preparation p, CsvProfile profile, String field,
            String message) {
        assertThatThrownBy(() -> RunChecks.check(h, p, profile))
                .isInstanceOfSatisfying(BadInputException.class, e -> org.assertj.core.api.Assertions
                        .assertThat(e.field()).isEqualTo(field))
                .hasMessageContaining(message);
    }
}
