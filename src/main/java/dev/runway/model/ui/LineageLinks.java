package dev.runway.model.ui;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.router.RouteParameters;
import com.vaadin.flow.router.RouterLink;
import dev.runway.dataset.ui.DatasetVersionView;
import dev.runway.model.ModelVersion;
import dev.runway.training.ui.RunView;

/** A model version's lineage as links: the run that trained it and the dataset version it trained on. */
final class LineageLinks {

    private LineageLinks() {}

    static RouterLink run(ModelVersion m) {
        return new RouterLink("run " + m.getRunId(), RunView.class, new RouteParameters("id", m.getRunId().toString()));
    }

    static RouterLink data(ModelVersion m) {
        return new RouterLink("#" + m.getDatasetVersionId(), DatasetVersionView.class,
                new RouteParameters("id", m.getDatasetVersionId().toString()));
    }

    /** "run 12, data #5": the models list's lineage cell; an imported version has no run and no data. */
    static Component cell(ModelVersion m) {
        if (m.isImported()) {
            return new Span("imported");
        }
        return new Span(run(m), new Span(", data "), data(m));
    }
}
