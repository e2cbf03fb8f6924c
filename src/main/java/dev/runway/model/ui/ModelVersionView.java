package dev.runway.model.ui;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.FlexLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.HasDynamicTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.router.RouteParameters;
import com.vaadin.flow.router.RouterLink;
import dev.runway.base.NotFoundException;
import dev.runway.base.ui.Figure;
import dev.runway.base.ui.Formats;
import dev.runway.base.ui.PageHeader;
import dev.runway.dataset.ui.DatasetVersionView;
import dev.runway.model.ModelService;
import dev.runway.model.ModelVersion;
import dev.runway.project.ProjectService;
import dev.runway.tenancy.Permission;
import dev.runway.tenancy.RequiresPermission;
import dev.runway.training.engine.Template;
import dev.runway.training.ui.Labels;
import dev.runway.training.ui.RunView;
import jakarta.inject.Inject;
import java.util.Map;

/** One model version: its test metrics and its lineage (the run that trained it, the data it trained on) as links. */
@Route("models/versions/:id")
@RequiresPermission(Permission.READ)
public class ModelVersionView extends VerticalLayout implements BeforeEnterObserver, HasDynamicTitle {

    private final ModelService models;
    private final ProjectService projects;
    private String title = "Model";

    @Inject
    public ModelVersionView(ModelService models, ProjectService projects) {
        this.models = models;
        this.projects = projects;
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        long id = event.getRouteParameters().get("id").filter(s -> s.matches("\\d{1,18}")).map(Long::parseLong)
                .orElse(-1L);
        try {
            render(models.get(id));
        } catch (NotFoundException e) {
            event.rerouteToError(e, e.getMessage());
        }
    }

    private void render(ModelVersion m) {
        removeAll();
        title = projects.get(m.getProjectId()).getName() + " v" + m.getVersion();
        add(new PageHeader(title));
        FlexLayout facts = new FlexLayout();
        facts.addClassName("run-facts");
        facts.add(Figure.small("Template", Template.valueOf(m.getTemplate()).label()));
        for (Map.Entry<String, Double> e : ModelService.metrics(m).entrySet()) {
            facts.add(Figure.small(Labels.metric(e.getKey()), Formats.number(e.getValue())));
        }
        facts.add(Figure.small("Registered", Formats.dateTime(m.getCreatedAt())));
        add(facts);
        Span lineage = new Span(new Span("Trained by "), runLink(m), new Span(" on dataset version "), dataLink(m));
        lineage.setId("model-lineage");
        add(lineage);
    }

    /** "run 12, data #5", both links: the lineage cell of the models list. */
    static Component lineage(ModelVersion m) {
        return new Span(runLink(m), new Span(", "), dataLink(m));
    }

    private static RouterLink runLink(ModelVersion m) {
        return new RouterLink("run " + m.getRunId(), RunView.class,
                new RouteParameters("id", m.getRunId().toString()));
    }

    private static RouterLink dataLink(ModelVersion m) {
        return new RouterLink("#" + m.getDatasetVersionId(), DatasetVersionView.class,
                new RouteParameters("id", m.getDatasetVersionId().toString()));
    }

    @Override
    public String getPageTitle() {
        return title + " · Runway";
    }
}
