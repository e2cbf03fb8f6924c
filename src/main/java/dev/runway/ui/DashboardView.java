package dev.runway.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.FlexLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.router.RouteParameters;
import com.vaadin.flow.router.RouterLink;
import dev.runway.collaboration.ui.DashboardActivity;
import dev.runway.base.ui.EmptyState;
import dev.runway.base.ui.Figure;
import dev.runway.base.ui.Formats;
import dev.runway.base.ui.Messages;
import dev.runway.base.ui.PageHeader;
import dev.runway.billing.PlanService;
import dev.runway.budget.BudgetAlert;
import dev.runway.budget.BudgetService;
import dev.runway.budget.ComputeBudgetService;
import dev.runway.base.Money;
import dev.runway.budget.ui.BudgetView;
import dev.runway.dataset.DatasetService;
import dev.runway.dataset.SampleProjectService;
import dev.runway.project.Project;
import dev.runway.project.ProjectService;
import dev.runway.project.ui.ProjectView;
import dev.runway.tenancy.Access;
import dev.runway.tenancy.Permission;
import dev.runway.tenancy.RequiresPermission;
import dev.runway.tenancy.TeamService;
import dev.runway.tenancy.TenantService;
import jakarta.annotation.PostConstruct;
import jakarta.inject.Inject;
import java.util.Currency;
import java.util.List;

/** The tenant at a glance: real counts only, and a first step for a new company. */
@Route("")
@PageTitle("Dashboard · Runway")
@RequiresPermission(Permission.READ)
public class DashboardView extends VerticalLayout {

    /** Where the charts go: below the figure cards. */
    private final Div chartsSlot = new Div();

    @Inject
    DashboardCharts charts;

    @Inject
    public DashboardView(TenantService tenants, TeamService team, ProjectService projects, DatasetService datasets,
            SampleProjectService samples, BudgetService budget, ComputeBudgetService computeBudgets, PlanService plans,
            Access access, DashboardActivity activity) {
        add(new PageHeader(tenants.current().getName()));
        alerts(computeBudgets.alertsThisMonth(), budget.currency());
        long projectCount = projects.count();
        FlexLayout cards = new FlexLayout(
                Figure.large("Projects", Formats.count(projectCount)),
                Figure.large("Datasets", Formats.count(datasets.count())),
                Figure.large("Storage used", Formats.bytes(datasets.storageBytes())),
                Figure.large("Members", Formats.count(team.members().size())),
                computeCard(computeBudgets, budget.currency()),
                Figure.large("Plan", plans.current().getPlan().label()),
                runwayCard(budget.summary()));
        cards.addClassName("cards");
        cards.setFlexWrap(FlexLayout.FlexWrap.WRAP);
        add(cards, chartsSlot);
        add(activity);

        if (projectCount == 0) {
            Button sample = new Button("Create a sample project");
            sample.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
            sample.setDisableOnClick(true);
            sample.addClickListener(e -> {
                try {
                    Project project = samples.create();
                    Messages.success("Sample project created with four data sets");
                    getUI().ifPresent(ui -> ui.navigate(ProjectView.class,
                            new RouteParameters("id", project.getId().toString())));
                } catch (RuntimeException ex) {
                    Messages.show(ex);
                    sample.setEnabled(true);
                }
            });
            Button create = new Button("Create an empty project", e -> getUI().ifPresent(ui -> ui.navigate("projects")));
            boolean canManage = access.can(Permission.MANAGE_PROJECTS);
            sample.setVisible(canManage);
            create.setVisible(canManage);
            add(new EmptyState("Start with data",
                    canManage ? "The sample project holds four small data sets (regression, classification, images of "
                            + "digits, support tickets) with their training settings filled in, so you can look around "
                            + "with real data at once."
                            : "Nothing here yet: an engineer or admin creates the first project.",
                    sample, create));
        }
    }

    @PostConstruct
    void addCharts() {
        chartsSlot.add(DashboardCharts.heading(), charts);
    }

    /** This month's budget alerts, above everything else: a threshold reached is news for every member. */
    private void alerts(List<BudgetAlert> alerts, Currency currency) {
        if (alerts.isEmpty()) {
            return;
        }
        Div banner = new Div();
        banner.addClassName("budget-alerts");
        banner.getElement().setAttribute("role", "status");
        banner.add(new Span(VaadinIcon.BELL.create(), new Span("Budget alerts this month")));
        for (BudgetAlert alert : alerts) {
            banner.add(new Paragraph(alert.getScope() + " compute budget: " + alert.getThreshold() + " % reached ("
                    + Money.format(alert.getSpent(), currency) + " of " + Money.format(alert.getMonthlyLimit(), currency)
                    + (alert.getThreshold() >= 100 ? "; new runs are refused until it is raised" : "") + ")"));
        }
        banner.add(new RouterLink("Open the Budget page", BudgetView.class));
        add(banner);
    }

    /** Month-to-date compute spend against the company-wide compute budget. */
    private static Div computeCard(ComputeBudgetService budgets, Currency currency) {
        return budgets.computeBudgets().stream().filter(b -> b.budget().isTenantWide()).findFirst()
                .map(b -> Figure.large("Compute this month", Money.format(b.spent(), currency) + " of "
                        + Money.format(b.budget().getMonthlyLimit(), currency) + " (" + b.percentUsed() + " %)"))
                .orElseGet(() -> Figure.large("Compute this month", "No budget set"));
    }

    private static Div runwayCard(BudgetService.Summary summary) {
        if (summary.nothingRecorded()) {
            return Figure.large("Runway", "Record funding on the Budget page");
        }
        return Figure.large("Runway", summary.runwayMonths().map(m -> m.toPlainString() + " months").orElse("No burn yet"));
    }

}
