package dev.runway.budget.ui;

import dev.runway.base.ui.AmountField;
import static dev.runway.budget.ui.BudgetPage.MONTH;
import static dev.runway.budget.ui.BudgetPage.amountColumn;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.grid.ColumnTextAlign;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextField;
import dev.runway.base.ui.FormDialog;
import dev.runway.base.ui.Formats;
import dev.runway.budget.BudgetAlert;
import dev.runway.budget.ComputeBudgetService;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The Budget page's compute budgets (with their form) and the recent budget alerts. */
class ComputeBudgetPanel extends VerticalLayout {

    private final ComputeBudgetService compute;
    private final BudgetPage page;

    ComputeBudgetPanel(ComputeBudgetService compute, BudgetPage page) {
        this.compute = compute;
        this.page = page;
        setPadding(false);
        setWidthFull();
        add(new H3("Compute budgets"), budgets(), new H3("Recent budget alerts"), alerts());
    }

    private Component budgets() {
        List<ComputeBudgetService.BudgetStatus> statuses = compute.computeBudgets();
        Button add = new Button("Set a compute budget", VaadinIcon.PLUS.create(), e -> open(null));
        add.setVisible(page.canManage());
        Paragraph notCharged = new Paragraph(compute.notChargedNote().orElse(""));
        notCharged.addClassName("budget-not-charged");
        notCharged.setVisible(!notCharged.getText().isEmpty());
        if (statuses.isEmpty()) {
            VerticalLayout none = new VerticalLayout(new Paragraph("No compute budget is set: training and "
                    + "evaluation spend is not limited. A budget is a monthly limit for the company or a project, "
                    + "with alerts at the thresholds you choose."), notCharged, add);
            none.setPadding(false);
            return none;
        }
        Grid<ComputeBudgetService.BudgetStatus> grid = new Grid<>();
        grid.addColumn(ComputeBudgetService.BudgetStatus::scope).setHeader("For").setWidth("9em");
        amountColumn(grid, s -> page.money(s.budget().getMonthlyLimit()) + " / month", "Limit");
        amountColumn(grid, s -> page.money(s.spent()), "Spent " + MONTH.format(statuses.get(0).month()));
        amountColumn(grid, s -> page.money(s.left()), "Left");
        grid.addColumn(s -> s.percentUsed() + " %").setHeader("Used").setTextAlign(ColumnTextAlign.END)
                .setAutoWidth(true).setFlexGrow(0);
        grid.addColumn(s -> thresholds(s.budget().getThresholds())).setHeader("Alerts at").setAutoWidth(true);
        if (page.canManage()) {
            grid.addComponentColumn(s -> {
                Button edit = new Button("Edit", e -> open(s));
                edit.addThemeVariants(ButtonVariant.LUMO_TERTIARY);
                return new HorizontalLayout(edit, page.deleteButton("Delete the " + s.scope() + " compute budget?",
                        "Spending is then no longer limited by it. Its alerts stay listed.",
                        () -> compute.deleteComputeBudget(s.budget().getId()), "Compute budget deleted"));
            }).setFlexGrow(0).setWidth("200px");
        }
        grid.setItems(statuses);
        grid.setAllRowsVisible(true);
        VerticalLayout section = new VerticalLayout(grid, notCharged, add);
        section.setPadding(false);
        return section;
    }

    private static String thresholds(List<Integer> percents) {
        return percents.stream().map(t -> t + " %").collect(Collectors.joining(", "));
    }

    /** The compute budget form: {@code existing} null sets a new budget. */
    private void open(ComputeBudgetService.BudgetStatus existing) {
        FormDialog dialog = new FormDialog(existing == null ? "Set a compute budget" : "Change the "
                + existing.scope() + " compute budget", "Save", "Cancel");
        ComboBox<Long> project = new ComboBox<>("For project (empty: the whole company)");
        project.setItems(page.projectNames().keySet());
        project.setItemLabelGenerator(page::projectName);
        project.setClearButtonVisible(true);
        AmountField limit = new AmountField("Monthly limit (" + page.currency().getCurrencyCode() + ")");
        TextField thresholds = new TextField("Alert thresholds (%)");
        thresholds.setValue(ComputeBudgetService.DEFAULT_THRESHOLDS.stream().map(String::valueOf)
                .collect(Collectors.joining(", ")));
        thresholds.setHelperText("Whole percentages from 1 to 100, e.g. 50, 80, 100; each fires once a month");
        if (existing != null) {
            project.setValue(existing.budget().getProjectId());
            project.setReadOnly(true);
            limit.setValue(existing.budget().getMonthlyLimit());
            thresholds.setValue(existing.budget().getThresholds().stream().map(String::valueOf)
                    .collect(Collectors.joining(", ")));
        }
        dialog.add(new FormLayout(project, limit, thresholds));
        compute.notChargedNote().ifPresent(note -> {
            Paragraph warning = new Paragraph(note);
            warning.addClassName("budget-not-charged");
            dialog.add(warning);
        });
        dialog.onSubmit(Map.of("monthlyLimit", limit, "thresholds", thresholds), () -> {
            compute.saveComputeBudget(new ComputeBudgetService.BudgetForm(project.getValue(),
                    limit.amount("monthlyLimit"), thresholds.getValue()));
            dialog.done("Compute budget saved");
            page.refresh().run();
        });
        dialog.open();
        limit.focus();
    }

    private Component alerts() {
        List<BudgetAlert> alerts = compute.recentAlerts();
        if (alerts.isEmpty()) {
            return new Paragraph("No compute budget has reached an alert threshold.");
        }
        Grid<BudgetAlert> grid = new Grid<>(BudgetAlert.class, false);
        grid.addColumn(a -> Formats.dateTime(a.getCreatedAt())).setHeader("When");
        grid.addColumn(BudgetAlert::getScope).setHeader("For");
        grid.addColumn(a -> MONTH.format(a.getPeriod())).setHeader("Month");
        grid.addColumn(a -> a.getThreshold() + " % reached").setHeader("Alert");
        amountColumn(grid, a -> page.money(a.getSpent()) + " of " + page.money(a.getMonthlyLimit()), "Spent");
        grid.setItems(alerts);
        grid.setAllRowsVisible(true);
        return grid;
    }
}
