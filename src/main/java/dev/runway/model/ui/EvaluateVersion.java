package dev.runway.model.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.router.RouteParameters;
import dev.runway.base.ui.Messages;
import dev.runway.dataset.DatasetService;
import dev.runway.dataset.DatasetService.DatasetSummary;
import dev.runway.model.ModelImports;
import dev.runway.model.ModelVersion;
import dev.runway.training.Run;
import dev.runway.training.ui.RunView;
import java.util.List;
import java.util.Map;

/**
 * Evaluates an imported version on one of its project's dataset versions (latest of each dataset): a trained version
 * is evaluated from its run's page. Opens the evaluation run, which shows its metrics live.
 */
class EvaluateVersion extends HorizontalLayout {

    EvaluateVersion(ModelImports imports, DatasetService datasets, ModelVersion version) {
        List<DatasetSummary> choices = datasets.list(version.getProjectId()).stream()
                .filter(d -> d.latest() != null).toList();
        Select<DatasetSummary> data = new Select<>();
        data.setLabel("Evaluate on");
        data.setItems(choices);
        data.setItemLabelGenerator(d -> d.dataset().getName() + " v" + d.latest().getVersion());
        data.setEmptySelectionAllowed(false);
        if (!choices.isEmpty()) {
            data.setValue(choices.get(0));
        }
        Select<String> rows = new Select<>();
        rows.setLabel("Rows");
        rows.setItems("all", "test");
        rows.setItemLabelGenerator(r -> r.equals("all") ? "All rows" : "Its test split");
        rows.setValue("all");
        Button evaluate = new Button("Evaluate", e -> {
            if (data.getValue() == null) {
                Messages.error("Upload a dataset with the model's columns to this project first");
                return;
            }
            try {
                Run run = imports.evaluate(version.getId(), data.getValue().latest().getId(), rows.getValue());
                getUI().ifPresent(ui -> ui.navigate(RunView.class, new RouteParameters("id", run.getId().toString())));
            } catch (RuntimeException ex) {
                Messages.show(ex, Map.of("datasetVersionId", data, "rows", rows));
            }
        });
        evaluate.setId("evaluate-version");
        setAlignItems(FlexComponent.Alignment.BASELINE);
        getStyle().set("flex-wrap", "wrap");
        add(data, rows, evaluate);
    }
}
