package dev.runway.budget.ui;

import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import dev.runway.base.ui.UpcomingFeatureView;
import dev.runway.tenancy.Permission;
import dev.runway.tenancy.RequiresPermission;

@Route("budget")
@PageTitle("Budget · Runway")
@RequiresPermission(Permission.READ)
public class BudgetView extends UpcomingFeatureView {

    public BudgetView() {
        super("Budget", "No funding or budgets recorded",
                "Funding sources, the monthly spending plan, burn rate and months of runway will be kept here.");
    }
}
