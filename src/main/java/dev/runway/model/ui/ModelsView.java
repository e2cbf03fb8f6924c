package dev.runway.model.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.router.RouteParameters;
import dev.runway.base.ui.EmptyState;
import dev.runway.base.ui.Formats;
import dev.runway.base.ui.Messages;
import dev.runway.base.ui.PageHeader;
import dev.runway.model.ModelLifecycle;
import dev.runway.model.ModelService;
import dev.runway.model.ModelVersion;
import dev.runway.model.StageRequest;
import dev.runway.project.ProjectService;
import dev.runway.tenancy.Permission;
import dev.runway.tenancy.RequiresPermission;
import dev.runway.training.engine.Template;
import dev.runway.training.ui.Labels;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

@Route("models")
@PageTitle("Models · Runway")
@RequiresPermission(Permission.READ)
public class ModelsView extends VerticalLayout {

    private final ModelService models;
    private final ModelLifecycle lifecycle;
    private final ProjectService projects;
    private final Grid<ModelVersion> grid = new Grid<>(ModelVersion.class, false);

    @Inject
    public ModelsView(ModelService models, ModelLifecycle lifecycle, ProjectService projects) {
        this.models = models;
        this.lifecycle = lifecycle;
        this.projects = projects;
        setSizeFull();
        Button compare = new Button("Compare selected", e -> compare());
        add(new PageHeader("Models", compare));
        List<ModelVersion> versions = models.list(null);
        if (versions.isEmpty()) {
            compare.setVisible(false);
            add(new EmptyState("No models yet", "Every succeeded training run registers a version of its project's "
                    + "model here, with its metrics and the run and data it came from. Start a run on the Runs page."));
            return;
        }
        grid.setSelectionMode(Grid.SelectionMode.MULTI);
        // The name opens the version's page: its stage, approvals, aliases and the project's history.
        grid.addComponentColumn(m -> {
            Button open = new Button(projects.get(m.getProjectId()).getName() + " v" + m.getVersion(),
                    e -> getUI().ifPresent(ui -> ui.navigate(ModelVersionView.class,
                            new RouteParameters("id", m.getId().toString()))));
            open.addThemeVariants(ButtonVariant.LUMO_TERTIARY_INLINE);
            return open;
        }).setHeader("Model").setAutoWidth(true);
        Map<Long, StageRequest> pending = lifecycle.pendingByVersion();
        grid.addComponentColumn(m -> {
            Span stage = new Span(ModelVersionView.stageBadge(m.getStage()));
            StageRequest request = pending.get(m.getId());
            if (request != null) {
                stage.add(new Span(" → " + request.getTargetStage().label() + "?"));
                stage.setTitle("Waiting for approval to move to " + request.getTargetStage().label());
            }
            return stage;
        }).setHeader("Stage").setAutoWidth(true);
        Map<Long, List<String>> aliases = lifecycle.aliases(versions.stream().map(ModelVersion::getId).toList());
        grid.addColumn(m -> String.join(", ", aliases.getOrDefault(m.getId(), List.of()))).setHeader("Aliases")
                .setAutoWidth(true);
        grid.addColumn(m -> Template.labelOf(m.getTemplate())).setHeader("Template").setAutoWidth(true);
        grid.addColumn(m -> summary(ModelService.metrics(m))).setHeader("Test metrics").setFlexGrow(2);
        grid.addComponentColumn(LineageLinks::cell).setHeader("Lineage").setAutoWidth(true);
        grid.addColumn(m -> Formats.dateTime(m.getCreatedAt())).setHeader("Created").setAutoWidth(true);
        grid.addThemeVariants(GridVariant.LUMO_ROW_STRIPES);
        grid.setItems(versions);
        grid.setSizeFull();
        add(grid);
    }

    private static String summary(Map<String, Double> metrics) {
        return metrics.entrySet().stream().map(e -> Labels.metric(e.getKey()) + " " + Formats.number(e.getValue()))
                .collect(Collectors.joining(" · "));
    }

    private void compare() {
        List<ModelVersion> selected = new ArrayList<>(grid.getSelectedItems());
        if (selected.size() != 2) {
            Messages.error("Select exactly two model versions to compare");
            return;
        }
        ModelService.Comparison c = models.compare(selected.get(0).getId(), selected.get(1).getId());
        Grid<Map.Entry<String, Double[]>> table = new Grid<>();
        table.addColumn(e -> Labels.metric(e.getKey())).setHeader("Metric");
        table.addColumn(e -> Formats.number(e.getValue()[0])).setHeader("v" + c.left().getVersion());
        table.addColumn(e -> Formats.number(e.getValue()[1])).setHeader("v" + c.right().getVersion());
        table.setItems(new ArrayList<>(c.metrics().entrySet()));
        table.setAllRowsVisible(true);
        Dialog dialog = new Dialog(table);
        dialog.setHeaderTitle("Compare models");
        dialog.setWidth("560px");
        dialog.getFooter().add(new Button("Close", e -> dialog.close()));
        dialog.open();
    }
}
