package dev.runway.sweep.ui;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.checkbox.Checkbox;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.BigDecimalField;
import com.vaadin.flow.component.textfield.IntegerField;
import com.vaadin.flow.component.textfield.NumberField;
import com.vaadin.flow.component.textfield.TextField;
import dev.runway.base.BadInputException;
import dev.runway.base.ui.Messages;
import dev.runway.dataset.DatasetService;
import dev.runway.dataset.DatasetService.DatasetSummary;
import dev.runway.sweep.Sweep;
import dev.runway.sweep.SweepService;
import dev.runway.training.engine.Hyperparameters;
import dev.runway.training.engine.Task;
import dev.runway.training.engine.Template;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Starts a sweep: a dataset, a template and its most epochs, the method, trials and trials at once, the learning-rate
 * range (log scale) and optionally batch sizes to try, the objective and the money cap. The service checks it all.
 */
class NewSweepDialog extends Dialog {

    private final ComboBox<DatasetSummary> dataset = new ComboBox<>("Dataset (latest version)");
    private final Select<Template> template = new Select<>();
    private final Select<String> method = new Select<>();
    private final IntegerField trials = new IntegerField("Trials");
    private final IntegerField parallel = new IntegerField("Trials at once");
    private final IntegerField epochs = new IntegerField("Epochs (most per trial)");
    private final NumberField lrMin = new NumberField("Learning rate from");
    private final NumberField lrMax = new NumberField("Learning rate to");
    private final Checkbox log = new Checkbox("Log scale", true);
    private final TextField batchSizes = new TextField("Batch sizes to try");
    private final Select<Sweep.Objective> objective = new Select<>();
    private final BigDecimalField cap = new BigDecimalField("Money cap");

    NewSweepDialog(SweepService sweeps, DatasetService datasets, Long projectId, String currency,
            Consumer<Sweep> started) {
        setHeaderTitle("New sweep");
        dataset.setItems(datasets.list(projectId).stream().filter(s -> s.latest() != null).toList());
        dataset.setItemLabelGenerator(s -> s.projectName() + " / " + s.dataset().getName() + " v"
                + s.latest().getVersion());
        dataset.setId("sweep-dataset");
        template.setLabel("Template");
        template.setItems(Template.values());
        template.setItemLabelGenerator(Template::label);
        template.setId("sweep-template");
        dataset.addValueChangeListener(e -> {
            if (e.getValue() != null) {
                datasets.preparation(e.getValue().latest().getId()).flatMap(p -> Arrays.stream(Template.values())
                        .filter(t -> t.fits(Task.of(p.task()))).filter(t -> t != Template.LINEAR_REGRESSION)
                        .findFirst()).ifPresent(template::setValue);
            }
        });
        method.setLabel("Method");
        method.setItems("grid", "random", "asha");
        method.setItemLabelGenerator(m -> switch (m) {
            case "grid" -> "Grid";
            case "random" -> "Random (seeded)";
            default -> "ASHA (stops the worse trials early)";
        });
        method.setValue("random");
        method.setId("sweep-method");
        trials.setValue(6);
        trials.setMin(1);
        trials.setMax(SweepService.MAX_TRIALS);
        trials.setId("sweep-trial-count");
        parallel.setValue(2);
        parallel.setMin(1);
        parallel.setId("sweep-parallel");
        epochs.setValue(10);
        epochs.setId("sweep-epochs");
        lrMin.setValue(0.0005);
        lrMax.setValue(0.05);
        lrMin.setId("sweep-lr-min");
        lrMax.setId("sweep-lr-max");
        batchSizes.setHelperText("Comma-separated, e.g. 16, 32; empty keeps the template's");
        batchSizes.setId("sweep-batch-sizes");
        objective.setLabel("Objective");
        objective.setItems(Sweep.Objective.values());
        objective.setItemLabelGenerator(o -> o == Sweep.Objective.VALIDATION_LOSS ? "Validation loss (lower)"
                : "Validation metric (accuracy higher, MSE lower)");
        objective.setValue(Sweep.Objective.VALIDATION_LOSS);
        cap.setValue(new BigDecimal("1.00"));
        cap.setSuffixComponent(new com.vaadin.flow.component.html.Span(currency));
        cap.setHelperText("No trial starts past it; running trials stop at it, keeping their checkpoints");
        cap.setId("sweep-cap");

        FormLayout form = new FormLayout(dataset, template, method, objective, trials, parallel, epochs, cap, lrMin,
                lrMax, log, batchSizes);
        form.setColspan(dataset, 2);
        form.setResponsiveSteps(new FormLayout.ResponsiveStep("0", 1), new FormLayout.ResponsiveStep("500px", 2));
        add(form);
        Map<String, com.vaadin.flow.component.HasValidation> fields = Map.of("dataset", dataset, "template",
                template, "method", method, "trials", trials, "parallel", parallel, "epochs", epochs,
                "parameters.learningRate", lrMin, "parameters.batchSize", batchSizes, "budget", cap);
        Button start = new Button("Start sweep", e -> {
            Messages.clear(fields);
            try {
                Sweep sweep = sweeps.create(request(projectId));
                close();
                started.accept(sweep);
            } catch (RuntimeException ex) {
                Messages.show(ex, fields);
            }
        });
        start.setId("start-sweep");
        start.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        getFooter().add(new Button("Cancel", e -> close()), start);
        setWidth("min(720px, 100vw)");
    }

    private SweepService.Request request(Long projectId) {
        if (dataset.getValue() == null) {
            throw new BadInputException("dataset", "Choose a dataset");
        }
        if (template.getValue() == null) {
            throw new BadInputException("template", "Choose a template");
        }
        if (epochs.getValue() == null) {
            throw new BadInputException("epochs", "Give the most epochs a trial trains");
        }
        Hyperparameters defaults = Hyperparameters.defaults(template.getValue());
        Hyperparameters base = defaults.withEpochs(epochs.getValue());
        ObjectNode parameters = JsonNodeFactory.instance.objectNode();
        if (lrMin.getValue() == null || lrMax.getValue() == null) {
            throw new BadInputException("parameters.learningRate", "Give the learning-rate range");
        }
        parameters.putObject("learningRate").put("min", lrMin.getValue()).put("max", lrMax.getValue())
                .put("log", log.getValue());
        if (!batchSizes.getValue().isBlank()) {
            var values = parameters.putObject("batchSize").putArray("values");
            for (String part : batchSizes.getValue().split(",")) {
                try {
                    values.add(Integer.parseInt(part.strip()));
                } catch (NumberFormatException ex) {
                    throw new BadInputException("parameters.batchSize", "Batch sizes are whole numbers, e.g. 16, 32");
                }
            }
        }
        return new SweepService.Request(dataset.getValue().latest().getId(), base, method.getValue(),
                trials.getValue() == null ? 0 : trials.getValue(), parallel.getValue() == null ? 1
                : parallel.getValue(), parameters, objective.getValue().name(), cap.getValue(), null, null,
                null, null);
    }
}
