package dev.runway.training.ui;

import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import dev.runway.base.ui.UpcomingFeatureView;
import dev.runway.tenancy.Permission;
import dev.runway.tenancy.RequiresPermission;

@Route("runs")
@PageTitle("Runs · Runway")
@RequiresPermission(Permission.READ)
public class RunsView extends UpcomingFeatureView {

    public RunsView() {
        super("Runs", "No runs yet",
                "Training and evaluation runs execute in the background with DJL, on GPU when a node has one. They arrive once projects and datasets are in place.");
    }
}
