package dev.runway.dataset.ui;

import com.vaadin.flow.component.HasValidation;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.checkbox.Checkbox;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.combobox.MultiSelectComboBox;
import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.IntegerField;
import com.vaadin.flow.component.textfield.NumberField;
import dev.runway.base.BadInputException;
import dev.runway.base.ui.Messages;
import dev.runway.dataset.CsvProfile;
import dev.runway.dataset.DatasetService;
import dev.runway.dataset.Preparation;
import dev.runway.dataset.Preparation.MissingValues;
import dev.runway.dataset.Preparation.TaskType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Target, features, task, split and cleaning of a dataset version, checked by the service against the profile. On a
 * wide file (more than {@value #WIDE} columns) the features are every column but the target and those left out: a
 * field holding two thousand chosen columns is slow to send and unreadable.
 */
class PreparationForm extends VerticalLayout {

    static final int WIDE = 100;

    PreparationForm(DatasetService datasets, long versionId, CsvProfile profile, Preparation current,
            Runnable saved) {
        setPadding(false);
        List<String> columns = profile.columnNames();
        ComboBox<String> target = new ComboBox<>("Target column", columns);
        boolean wide = columns.size() > WIDE;
        MultiSelectComboBox<String> features = new MultiSelectComboBox<>(wide
                ? "Columns left out (all the others except the target are features)" : "Feature columns");
        features.setItems(columns);
        Select<TaskType> task = new Select<>();
        task.setLabel("Task");
        task.setItems(TaskType.values());
        task.setItemLabelGenerator(PreparationForm::label);
        NumberField train = ratio("Training share");
        NumberField validation = ratio("Validation share");
        NumberField test = ratio("Test share");
        IntegerField seed = new IntegerField("Split seed");
        Select<MissingValues> missing = new Select<>();
        missing.setLabel("Missing values");
        missing.setItems(MissingValues.values());
        missing.setItemLabelGenerator(m -> m == MissingValues.DROP_ROWS ? "Drop rows with a missing value"
                : "Impute: mean for numbers, most frequent for categories");
        Checkbox standardize = new Checkbox("Standardise numeric features (fitted on the training split)");

        Preparation p = current != null ? current : Preparation.defaults(null, List.of(), TaskType.CLASSIFICATION);
        target.setValue(p.target());
        if (wide) {
            List<String> left = new ArrayList<>();
            if (current != null) {
                Set<String> chosen = new HashSet<>(p.features());
                columns.stream().filter(c -> !chosen.contains(c) && !c.equals(p.target())).forEach(left::add);
            }
            features.setValue(left);
        } else {
            features.setValue(p.features());
        }
        task.setValue(p.task());
        train.setValue(p.trainRatio());
        validation.setValue(p.validationRatio());
        test.setValue(p.testRatio());
        seed.setValue((int) p.seed());
        missing.setValue(p.missingValues());
        standardize.setValue(p.standardize());
        target.addValueChangeListener(e -> {
            if (!wide && e.isFromClient() && e.getValue() != null && features.isEmpty()) {
                List<String> rest = new ArrayList<>(columns);
                rest.remove(e.getValue());
                features.setValue(rest);
            }
        });

        Map<String, HasValidation> fields = Map.of("target", target, "features", features, "task", task,
                "trainRatio", train, "validationRatio", validation, "testRatio", test, "missingValues", missing);
        Button save = new Button("Save preparation", e -> {
            Messages.clear(fields);
            try {
                if (train.isInvalid() || validation.isInvalid() || test.isInvalid() || seed.isInvalid()) {
                    throw new BadInputException("trainRatio", "Enter the shares as numbers between 0 and 1");
                }
                List<String> chosen = new ArrayList<>(features.getSelectedItems());
                if (wide) {
                    Set<String> left = features.getSelectedItems();
                    chosen = columns.stream().filter(c -> !left.contains(c) && !c.equals(target.getValue()))
                            .toList();
                }
                datasets.savePreparation(versionId, new Preparation(target.getValue(),
                        chosen, task.getValue(), value(train), value(validation),
                        value(test), seed.getValue() == null ? 42 : seed.getValue(), missing.getValue(),
                        standardize.getValue()));
                Messages.success("Preparation saved");
                saved.run();
            } catch (RuntimeException ex) {
                Messages.show(ex, fields);
            }
        });
        save.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        FormLayout form = new FormLayout(task, target, features, train, validation, test, seed, missing, standardize);
        form.setColspan(features, 2);
        add(form, save);
    }

    static String describe(Preparation p) {
        return label(p.task()) + ": predict " + p.target() + " from " + p.features().size() + " column(s); split "
                + p.trainRatio() + " / " + p.validationRatio() + " / " + p.testRatio() + " (seed " + p.seed() + ")";
    }

    private static String label(TaskType task) {
        return switch (task) {
            case REGRESSION -> "Regression";
            case CLASSIFICATION -> "Classification";
            case TEXT_CLASSIFICATION -> "Text classification";
        };
    }

    private static NumberField ratio(String label) {
        NumberField field = new NumberField(label);
        field.setMin(0);
        field.setMax(1);
        field.setStep(0.05);
        return field;
    }

    private static double value(NumberField field) {
        return field.getValue() == null ? 0 : field.getValue();
    }
}
