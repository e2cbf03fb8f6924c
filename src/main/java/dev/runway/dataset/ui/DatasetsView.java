package dev.runway.dataset.ui;

import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import dev.runway.base.ui.UpcomingFeatureView;
import dev.runway.tenancy.Permission;
import dev.runway.tenancy.RequiresPermission;

@Route("datasets")
@PageTitle("Datasets · Runway")
@RequiresPermission(Permission.READ)
public class DatasetsView extends UpcomingFeatureView {

    public DatasetsView() {
        super("Datasets", "No datasets yet",
                "Datasets are uploaded into projects as CSV files, versioned, profiled and split for training. They arrive with projects in the next release.");
    }
}
