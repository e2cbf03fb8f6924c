package dev.runway.model.ui;

import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import dev.runway.base.ui.UpcomingFeatureView;
import dev.runway.tenancy.Permission;
import dev.runway.tenancy.RequiresPermission;

@Route("models")
@PageTitle("Models · Runway")
@RequiresPermission(Permission.READ)
public class ModelsView extends UpcomingFeatureView {

    public ModelsView() {
        super("Models", "No models yet",
                "Every successful training run registers a model version here, with its lineage and metrics.");
    }
}
