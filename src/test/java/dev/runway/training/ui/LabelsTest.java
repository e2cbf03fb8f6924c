package dev.runway.training.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runway.dataset.Preparation;
import dev.runway.training.RunService;
import dev.runway.training.engine.OptimizerKind;
import org.junit.jupiter.api.Test;

class LabelsTest {

    @Test
    void metric_and_coefficient_keys_read_as_words() {
        assertThat(Labels.metric("f1")).isEqualTo("F1");
        assertThat(Labels.metric("recall")).isEqualTo("Recall");
        assertThat(Labels.metric("precision")).isEqualTo("Precision");
        assertThat(Labels.metric("accuracy")).isEqualTo("Accuracy");
        assertThat(Labels.metric("r2")).isEqualTo("R²");
        assertThat(Labels.metric("coef_x")).as("as on the run page").isEqualTo("Slope of x");
        assertThat(Labels.metric("coef_intercept")).isEqualTo("Intercept");
    }

    @Test
    void the_metric_curve_is_accuracy_for_classification_and_mse_for_regression() {
        assertThat(Labels.curve(Preparation.TaskType.CLASSIFICATION)).isEqualTo("Accuracy");
        assertThat(Labels.curve(Preparation.TaskType.TEXT_CLASSIFICATION)).isEqualTo("Accuracy");
        assertThat(Labels.curve(Preparation.TaskType.REGRESSION)).isEqualTo("MSE");
    }

    @Test
    void optimisers_are_named_as_people_write_them() {
        assertThat(Labels.optimizer(OptimizerKind.ADAM)).isEqualTo("Adam");
        assertThat(Labels.optimizer(OptimizerKind.SGD)).isEqualTo("SGD");
        assertThat(Labels.optimizer(OptimizerKind.RMSPROP)).isEqualTo("RMSProp");
    }

    @Test
    void a_queued_run_says_its_place_and_what_holds_it_back() {
        assertThat(RunView.waitingLine(new RunService.Waiting(2, 0, 2, 2)))
                .isEqualTo("2nd in your company's queue · all 2 executor slots busy");
        assertThat(RunView.waitingLine(new RunService.Waiting(1, 1, 1, 2)))
                .isEqualTo("1st in your company's queue · waiting for your plan's concurrency (1 run at a time)");
        assertThat(RunView.ordinal(11)).isEqualTo("11th");
        assertThat(RunView.ordinal(23)).isEqualTo("23rd");
    }
}
