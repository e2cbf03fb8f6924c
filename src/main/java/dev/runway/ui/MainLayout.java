package dev.runway.ui;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.applayout.AppLayout;
import com.vaadin.flow.component.applayout.DrawerToggle;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.menubar.MenuBar;
import com.vaadin.flow.component.menubar.MenuBarVariant;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.sidenav.SideNav;
import com.vaadin.flow.component.sidenav.SideNavItem;
import com.vaadin.flow.router.AfterNavigationEvent;
import com.vaadin.flow.router.AfterNavigationObserver;
import com.vaadin.flow.router.Layout;
import com.vaadin.flow.router.RouterLink;
import dev.runway.collaboration.ActivityService;
import dev.runway.collaboration.LiveBus;
import dev.runway.collaboration.ui.ActivityView;
import dev.runway.collaboration.ui.NotificationBell;
import dev.runway.base.ui.Formats;
import dev.runway.base.ui.Messages;
import dev.runway.billing.ui.BillingView;
import dev.runway.budget.ComputeBudgetService;
import dev.runway.budget.ui.BudgetView;
import dev.runway.dataset.ui.DatasetsView;
import dev.runway.model.ui.ModelsView;
import dev.runway.project.ui.ProjectsView;
import dev.runway.tenancy.Access;
import dev.runway.tenancy.AuthService;
import dev.runway.tenancy.Operators;
import dev.runway.tenancy.Permission;
import dev.runway.tenancy.RequiresPermission;
import dev.runway.tenancy.ui.AuditView;
import dev.runway.tenancy.ui.SessionSupport;
import dev.runway.tenancy.ui.SettingsView;
import dev.runway.tenancy.ui.TeamView;
import dev.runway.training.ui.OperatorView;
import dev.runway.training.ui.RunsView;
import jakarta.inject.Inject;
import java.util.Objects;

/** One layout for every signed-in page: navigation by feature, the company switcher and the user menu. */
@Layout
public class MainLayout extends AppLayout implements AfterNavigationObserver {

    private final Access access;
    private final ComputeBudgetService budgets;
    private final RouterLink alerts = new RouterLink("", BudgetView.class);
    private final NotificationBell bell;

    @Inject
    public MainLayout(Access access, AuthService auth, ComputeBudgetService budgets, ActivityService activity,
            LiveBus live, Operators operators) {
        this.access = access;
        this.budgets = budgets;
        this.bell = new NotificationBell(activity, live);
        Span brand = new Span("Runway");
        brand.addClassName("brand");
        addToNavbar(new DrawerToggle(), brand, header(auth));

        SideNav nav = new SideNav();
        item(nav, "Dashboard", DashboardView.class, VaadinIcon.DASHBOARD);
        item(nav, "Activity", ActivityView.class, VaadinIcon.CLOCK);
        item(nav, "Projects", ProjectsView.class, VaadinIcon.FOLDER_O);
        item(nav, "Datasets", DatasetsView.class, VaadinIcon.TABLE);
        item(nav, "Runs", RunsView.class, VaadinIcon.PLAY_CIRCLE_O);
        item(nav, "Models", ModelsView.class, VaadinIcon.CUBES);
        item(nav, "Budget", BudgetView.class, VaadinIcon.PIGGY_BANK);
        item(nav, "Billing", BillingView.class, VaadinIcon.INVOICE);
        item(nav, "Team", TeamView.class, VaadinIcon.USERS);
        item(nav, "Audit", AuditView.class, VaadinIcon.LIST);
        item(nav, "Settings", SettingsView.class, VaadinIcon.COG);
        if (operators.isOperator()) {
            // The platform's own page, for Runway's operators only: to everyone else it does not exist.
            nav.addItem(new SideNavItem("Operator", OperatorView.class, VaadinIcon.CLUSTER.create()));
        }
        addToDrawer(nav);
        setPrimarySection(Section.DRAWER);
        addAttachListener(e -> Formats.learnZone(e.getUI()));
    }

    /** The budget alert indicator follows the database: read again on every navigation. */
    @Override
    public void afterNavigation(AfterNavigationEvent event) {
        bell.refresh();
        int count = access.can(Permission.READ) ? budgets.alertsThisMonth().size() : 0;
        alerts.setVisible(count > 0);
        alerts.removeAll();
        if (count > 0) {
            Span badge = new Span(Integer.toString(count));
            badge.addClassName("budget-alert-count");
            alerts.add(VaadinIcon.BELL.create(), badge);
            String label = count + " compute budget" + (count == 1 ? " has" : "s have")
                    + " reached an alert threshold this month";
            alerts.getElement().setAttribute("aria-label", label);
            alerts.getElement().setAttribute("title", label);
        }
    }

    /** Only the pages the member's role may open are listed. */
    private void item(SideNav nav, String label, Class<? extends Component> view, VaadinIcon icon) {
        RequiresPermission required = view.getAnnotation(RequiresPermission.class);
        if (required == null || access.can(required.value())) {
            nav.addItem(new SideNavItem(label, view, icon.create()));
        }
    }

    private Component header(AuthService auth) {
        Select<AuthService.TenantChoice> tenant = new Select<>();
        tenant.setAriaLabel("Company");
        tenant.addClassName("tenant-switcher");
        tenant.setItemLabelGenerator(t -> t.name() + " (" + t.role().label() + ")");
        var tenants = auth.myTenants();
        tenant.setItems(tenants);
        long current = dev.runway.tenancy.TenantContext.current().map(a -> a.tenantId()).orElse(0L);
        tenants.stream().filter(t -> t.tenantId() == current).findFirst().ifPresent(tenant::setValue);
        tenant.setVisible(!tenants.isEmpty());
        tenant.addValueChangeListener(e -> {
            if (e.isFromClient() && e.getValue() != null && !Objects.equals(e.getValue(), e.getOldValue())) {
                try {
                    SessionSupport.switchTo(auth.switchTenant(e.getValue().tenantId()));
                } catch (RuntimeException ex) {
                    Messages.show(ex);
                }
            }
        });

        MenuBar user = new MenuBar();
        user.addThemeVariants(MenuBarVariant.LUMO_TERTIARY_INLINE);
        var me = user.addItem(auth.currentUser().getDisplayName());
        me.getElement().setAttribute("aria-label", "Account menu");
        me.getSubMenu().addItem("Settings", e -> getUI().ifPresent(ui -> ui.navigate(SettingsView.class)));
        me.getSubMenu().addItem("Sign out", e -> SessionSupport.signOut());

        alerts.addClassName("budget-alert-indicator");
        alerts.setVisible(false);
        HorizontalLayout header = new HorizontalLayout(alerts, bell, tenant, user);
        header.addClassName("header-actions");
        header.setAlignItems(FlexComponent.Alignment.CENTER);
        return header;
    }
}
