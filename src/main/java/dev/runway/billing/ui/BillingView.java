package dev.runway.billing.ui;

import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import dev.runway.base.ui.UpcomingFeatureView;
import dev.runway.tenancy.Permission;
import dev.runway.tenancy.RequiresPermission;

@Route("billing")
@PageTitle("Billing · Runway")
@RequiresPermission(Permission.READ_BILLING)
public class BillingView extends UpcomingFeatureView {

    public BillingView() {
        super("Billing", "No usage yet",
                "Usage of every run is metered, rated by your plan and invoiced here once runs exist.");
    }
}
