package dev.runway.dataset.ui;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import dev.runway.dataset.DatasetService;
import dev.runway.project.Project;
import dev.runway.project.ui.ProjectSection;
import dev.runway.tenancy.Access;
import dev.runway.tenancy.Permission;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** The datasets part of a project's page: the list and the upload. */
@ApplicationScoped
public class DatasetsSection implements ProjectSection {

    @Inject
    DatasetService datasets;

    @Inject
    Access access;

    @Override
    public int order() {
        return 10;
    }

    @Override
    public Component create(Project project) {
        VerticalLayout section = new VerticalLayout();
        section.setPadding(false);
        DatasetGrid grid = new DatasetGrid(false);
        Runnable refresh = () -> grid.show(datasets.list(project.getId()));
        section.add(new H3("Datasets"));
        if (access.can(Permission.MANAGE_PROJECTS) && !project.isArchived()) {
            section.add(new DatasetUpload(datasets, project.getId(), null, v -> refresh.run()));
        }
        section.add(grid);
        refresh.run();
        return section;
    }
}
