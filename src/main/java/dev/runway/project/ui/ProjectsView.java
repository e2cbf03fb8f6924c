package dev.runway.project.ui;

import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import dev.runway.base.ui.UpcomingFeatureView;
import dev.runway.tenancy.Permission;
import dev.runway.tenancy.RequiresPermission;

@Route("projects")
@PageTitle("Projects · Runway")
@RequiresPermission(Permission.READ)
public class ProjectsView extends UpcomingFeatureView {

    public ProjectsView() {
        super("Projects", "No projects yet",
                "Projects hold your datasets, training runs and models. Creating projects arrives in the next release of Runway.");
    }
}
