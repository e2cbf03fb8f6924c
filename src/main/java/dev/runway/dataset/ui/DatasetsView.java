package dev.runway.dataset.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import dev.runway.base.ui.EmptyState;
import dev.runway.base.ui.PageHeader;
import dev.runway.dataset.DatasetService;
import dev.runway.tenancy.Permission;
import dev.runway.tenancy.RequiresPermission;
import jakarta.inject.Inject;

@Route("datasets")
@PageTitle("Datasets · Runway")
@RequiresPermission(Permission.READ)
public class DatasetsView extends VerticalLayout {

    @Inject
    public DatasetsView(DatasetService datasets) {
        add(new PageHeader("Datasets"));
        var list = datasets.list(null);
        if (list.isEmpty()) {
            add(new EmptyState("No datasets yet", "Datasets are CSV files uploaded into a project, versioned and "
                    + "profiled. Open a project to upload one, or create the sample project from the dashboard.",
                    new Button("Go to projects", e -> getUI().ifPresent(ui -> ui.navigate("projects")))));
            return;
        }
        DatasetGrid grid = new DatasetGrid(true);
        grid.show(list);
        add(grid);
    }
}
