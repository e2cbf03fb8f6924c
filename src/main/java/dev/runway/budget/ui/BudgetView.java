package dev.runway.budget.ui;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.HasValidation;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.confirmdialog.ConfirmDialog;
import com.vaadin.flow.component.datepicker.DatePicker;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.grid.ColumnTextAlign;
import com.vaadin.flow.component.grid.FooterRow;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.FlexLayout;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.function.ValueProvider;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import dev.runway.base.ui.AmountField;
import dev.runway.base.ui.Download;
import dev.runway.base.ui.EmptyState;
import dev.runway.base.ui.Formats;
import dev.runway.base.ui.Messages;
import dev.runway.base.ui.PageHeader;
import dev.runway.base.ui.SvgChart;
import dev.runway.budget.ActualSpend;
import dev.runway.budget.BudgetAlert;
import dev.runway.budget.BudgetService;
import dev.runway.budget.ComputeBudgetService;
import dev.runway.budget.FundingKind;
import dev.runway.budget.FundingSource;
import dev.runway.base.Money;
import dev.runway.budget.RunwayMath;
import dev.runway.budget.SpendCategory;
import dev.runway.budget.SpendSource;
import dev.runway.tenancy.Access;
import dev.runway.tenancy.Actor;
import dev.runway.tenancy.Permission;
import dev.runway.tenancy.RequiresPermission;
import dev.runway.tenancy.TenantContext;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.YearMonth;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.ArrayList;
import java.util.Currency;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** Funding, burn and runway, the spending plan, actual spend, compute budgets and their alerts. */
@Route("budget")
@PageTitle("Budget · Runway")
@RequiresPermission(Permission.READ)
public class BudgetView extends VerticalLayout {

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofLocalizedDate(FormatStyle.MEDIUM)
            .withLocale(Locale.ENGLISH);
    private static final DateTimeFormatter MONTH = DateTimeFormatter.ofPattern("MMM yyyy", Locale.ENGLISH);

    private final BudgetService budget;
    private final ComputeBudgetService compute;
    private final boolean canManage;
    private final Actor actor;
    private final VerticalLayout content = new VerticalLayout();
    private YearMonth planMonth;
    private Currency currency;
    private Map<Long, String> projectNames = Map.of();

    @Inject
    public BudgetView(BudgetService budget, ComputeBudgetService compute, Access access) {
        this.budget = budget;
        this.compute = compute;
        this.canManage = access.can(Permission.MANAGE_BUDGET);
        this.actor = TenantContext.current().orElseThrow();
        this.planMonth = YearMonth.from(budget.today());
        content.setPadding(false);
        content.setWidthFull();
        add(content);
        refresh();
    }

    private void refresh() {
        content.removeAll();
        currency = budget.currency();
        projectNames = budget.projectNames();
        BudgetService.Summary summary = budget.summary();

        Button addFunding = new Button("Record funding", VaadinIcon.PLUS.create(), e -> fundingDialog(null));
        addFunding.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        Button addSpend = new Button("Record spend", VaadinIcon.PLUS.create(), e -> spendDialog(null));
        addFunding.setVisible(canManage);
        addSpend.setVisible(canManage);
        Anchor export = Download.link("Export (CSV)", "runway-budget-" + budget.today() + ".csv", "text/csv",
                () -> TenantContext.runAs(actor, () -> budget.exportCsv().getBytes(StandardCharsets.UTF_8)));
        export.addClassName("budget-export");
        export.setVisible(!summary.nothingRecorded());
        content.add(new PageHeader("Budget", export, addSpend, addFunding));

        if (summary.nothingRecorded()) {
            Button fill = new Button("Record your first funding", VaadinIcon.PLUS.create(), e -> fundingDialog(null));
            fill.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
            String explanation = "Record the money you raised or earned and what you spend each month: Runway then "
                    + "shows your cash on hand, monthly burn and how many months of runway you have, your spending "
                    + "plan against actual spend, and compute budgets with alerts. Amounts are kept in "
                    + currency.getCurrencyCode() + ".";
            content.add(canManage ? new EmptyState("No funding or spending recorded yet", explanation, fill,
                    currencyPicker()) : new EmptyState("No funding or spending recorded yet", explanation
                    + " A Billing, Admin or Owner member can record them."));
            return;
        }

        content.add(cards(summary));
        content.add(charts());
        content.add(new H3("Funding"), fundingGrid());
        content.add(new H3("Spending plan"), planSection());
        content.add(new H3("Actual spend"), actualsGrid());
        content.add(new H3("Compute budgets"), computeSection());
        content.add(new H3("Recent budget alerts"), alertsGrid());
    }

    // ---- summary and charts ----

    private Component cards(BudgetService.Summary summary) {
        String burnNote = summary.burn().months().isEmpty()
                ? "no complete month recorded yet"
                : "average of " + summary.burn().months().size() + " complete month"
                        + (summary.burn().months().size() == 1 ? "" : "s") + " ("
                        + summary.burn().months().stream().map(MONTH::format).collect(Collectors.joining(", "))
                        + ")";
        FlexLayout cards = new FlexLayout(
                card("Cash on hand", money(summary.cashOnHand()), "as of " + DAY.format(summary.asOf())),
                card("Monthly burn", money(summary.burn().amount()) + " / month", burnNote),
                card("Runway", summary.runwayMonths().map(m -> m.toPlainString() + " months").orElse("no burn yet"),
                        summary.runwayMonths().isPresent() ? "cash on hand ÷ monthly burn"
                                : "runway appears once a complete month has spending"));
        cards.addClassName("cards");
        cards.setFlexWrap(FlexLayout.FlexWrap.WRAP);
        return cards;
    }

    private static Div card(String label, String value, String note) {
        Span number = new Span(value);
        number.addClassName("card-value");
        Span caption = new Span(label);
        caption.addClassName("card-label");
        Span detail = new Span(note);
        detail.getStyle().set("font-size", "var(--lumo-font-size-s)").set("color", "var(--lumo-secondary-text-color)");
        Div card = new Div(number, caption, detail);
        card.addClassName("card");
        return card;
    }

    private Component charts() {
        List<RunwayMath.RunwayPoint> series = budget.runwaySeries();
        List<SvgChart.Point> cash = new ArrayList<>();
        List<SvgChart.Point> runway = new ArrayList<>();
        for (RunwayMath.RunwayPoint p : series) {
            String label = MONTH.format(p.month());
            cash.add(new SvgChart.Point(label, p.cash().doubleValue()));
            runway.add(new SvgChart.Point(label, p.runwayMonths() == null ? null : p.runwayMonths().doubleValue()));
        }
        FlexLayout charts = new FlexLayout(
                SvgChart.component(SvgChart.line("Cash on hand at month end", currency.getCurrencyCode(),
                        List.of(new SvgChart.Series("Cash", cash)), 520, 260)),
                SvgChart.component(SvgChart.line("Runway at month end", "months",
                        List.of(new SvgChart.Series("Runway", runway)), 520, 260)));
        charts.setFlexWrap(FlexLayout.FlexWrap.WRAP);
        charts.getStyle().set("gap", "var(--lumo-space-m)");
        return charts;
    }

    // ---- funding ----

    private Component fundingGrid() {
        Grid<FundingSource> grid = new Grid<>(FundingSource.class, false);
        grid.addColumn(f -> DAY.format(f.getReceivedOn())).setHeader("Received").setSortable(true)
                .setComparator(FundingSource::getReceivedOn).setAutoWidth(true).setFlexGrow(0);
        grid.addColumn(f -> f.getKind().label()).setHeader("Kind").setSortable(true).setAutoWidth(true)
                .setFlexGrow(0);
        amountColumn(grid, f -> money(f.getAmount()), "Amount").setSortable(true)
                .setComparator(FundingSource::getAmount);
        grid.addColumn(FundingSource::getNote).setHeader("Note").setFlexGrow(2).setWidth("12em");
        if (canManage) {
            grid.addComponentColumn(f -> {
                Button edit = new Button("Edit", e -> fundingDialog(f));
                edit.addThemeVariants(ButtonVariant.LUMO_TERTIARY);
                return new HorizontalLayout(edit, deleteButton("Delete this funding?",
                        money(f.getAmount()) + " received " + DAY.format(f.getReceivedOn()) + " is removed from cash "
                                + "on hand.", () -> budget.deleteFunding(f.getId()), "Funding deleted"));
            }).setFlexGrow(0).setWidth("200px");
        }
        List<FundingSource> items = budget.funding();
        grid.setItems(items);
        grid.setAllRowsVisible(true);
        grid.addThemeVariants(GridVariant.LUMO_ROW_STRIPES);
        if (items.isEmpty()) {
            return new Paragraph("No funding recorded yet.");
        }
        return grid;
    }

    private void fundingDialog(FundingSource existing) {
        Dialog dialog = new Dialog();
        dialog.setHeaderTitle(existing == null ? "Record funding" : "Change funding");
        Select<FundingKind> kind = new Select<>();
        kind.setLabel("Kind");
        kind.setItems(FundingKind.values());
        kind.setItemLabelGenerator(FundingKind::label);
        kind.setValue(existing == null ? FundingKind.VENTURE : existing.getKind());
        AmountField amount = new AmountField("Amount");
        TextField currencyField = new TextField("Currency");
        currencyField.setValue(currency.getCurrencyCode());
        currencyField.setHelperText("The company's amounts are in " + currency.getCurrencyCode());
        DatePicker received = new DatePicker("Date received", existing == null ? budget.today()
                : existing.getReceivedOn());
        TextField note = new TextField("Note");
        note.setMaxLength(FundingSource.NOTE_MAX);
        if (existing != null) {
            amount.setValue(existing.getAmount());
            note.setValue(existing.getNote());
        }
        FormLayout form = new FormLayout(kind, amount, currencyField, received, note);
        form.setColspan(note, 2);
        dialog.add(form);
        Map<String, HasValidation> fields = Map.of("kind", kind, "amount", amount, "currency", currencyField,
                "receivedOn", received, "note", note);
        Button save = new Button("Save", e -> {
            Messages.clear(fields);
            try {
                BudgetService.FundingForm f = new BudgetService.FundingForm(kind.getValue(), amount.amount("amount"),
                        currencyField.getValue(), received.getValue(), note.getValue());
                if (existing == null) {
                    budget.addFunding(f);
                } else {
                    budget.updateFunding(existing.getId(), f);
                }
                dialog.close();
                Messages.success(existing == null ? "Funding recorded" : "Funding changed");
                refresh();
            } catch (RuntimeException ex) {
                Messages.show(ex, fields);
            }
        });
        save.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        dialog.getFooter().add(new Button("Cancel", e -> dialog.close()), save);
        dialog.open();
        amount.focus();
    }

    private Component currencyPicker() {
        TextField code = new TextField();
        code.setAriaLabel("Book currency");
        code.setValue(currency.getCurrencyCode());
        code.setWidth("7em");
        code.setHelperText("Book currency (ISO code); fixed once anything is recorded");
        Button change = new Button("Use this currency", e -> {
            code.setInvalid(false);
            try {
                Currency changed = budget.changeCurrency(code.getValue());
                Messages.success("Amounts are kept in " + changed.getCurrencyCode());
                refresh();
            } catch (RuntimeException ex) {
                Messages.show(ex, Map.of("currency", code));
            }
        });
        HorizontalLayout row = new HorizontalLayout(code, change);
        row.setAlignItems(Alignment.BASELINE);
        return row;
    }

    // ---- plan ----

    private Component planSection() {
        Select<YearMonth> month = new Select<>();
        month.setLabel("Month");
        List<YearMonth> months = new ArrayList<>();
        YearMonth now = YearMonth.from(budget.today());
        for (int i = -12; i <= 12; i++) {
            months.add(now.plusMonths(i));
        }
        month.setItems(months);
        month.setItemLabelGenerator(MONTH::format);
        month.setValue(planMonth);
        month.addValueChangeListener(e -> {
            if (e.getValue() != null) {
                planMonth = e.getValue();
                refresh();
            }
        });

        Map<SpendCategory, BigDecimal> plan = budget.plan(planMonth);
        Map<SpendCategory, AmountField> inputs = new EnumMap<>(SpendCategory.class);
        FormLayout editor = new FormLayout();
        for (SpendCategory category : SpendCategory.values()) {
            AmountField field = new AmountField(category.label() + " (" + currency.getCurrencyCode() + ")");
            field.setValue(plan.get(category));
            field.setReadOnly(!canManage);
            inputs.put(category, field);
            editor.add(field);
        }
        Map<String, HasValidation> fields = new HashMap<>();
        inputs.forEach((c, f) -> fields.put(c.name(), f));
        Button save = new Button("Save plan", e -> {
            Messages.clear(fields);
            // Every unreadable amount gets its message, and nothing is saved: an empty value would clear the line.
            if (inputs.values().stream().filter(AmountField::flagUnreadable).count() > 0) {
                return;
            }
            try {
                Map<SpendCategory, BigDecimal> amounts = new EnumMap<>(SpendCategory.class);
                inputs.forEach((c, f) -> amounts.put(c, f.getValue()));
                budget.savePlan(planMonth, amounts);
                Messages.success("Plan for " + MONTH.format(planMonth) + " saved");
                refresh();
            } catch (RuntimeException ex) {
                Messages.show(ex, fields);
            }
        });
        save.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        save.setVisible(canManage);

        List<RunwayMath.CategoryComparison> rows = budget.planVsActual(planMonth);
        Grid<RunwayMath.CategoryComparison> grid = new Grid<>();
        Grid.Column<RunwayMath.CategoryComparison> name = grid.addColumn(r -> r.category().label())
                .setHeader("Category").setAutoWidth(true);
        Grid.Column<RunwayMath.CategoryComparison> planned = amountColumn(grid, r -> money(r.planned()), "Planned");
        Grid.Column<RunwayMath.CategoryComparison> actual = amountColumn(grid, r -> money(r.actual()), "Actual");
        Grid.Column<RunwayMath.CategoryComparison> left = amountColumn(grid, this::planMinusActual,
                "Plan minus actual");
        grid.setItems(rows);
        grid.setAllRowsVisible(true);
        RunwayMath.CategoryComparison total = RunwayMath.total(rows);
        FooterRow totals = grid.appendFooterRow();
        totals.getCell(name).setText("Total");
        totals.getCell(planned).setText(money(total.planned()));
        totals.getCell(actual).setText(money(total.actual()));
        totals.getCell(left).setText(planMinusActual(total));
        grid.addClassName("plan-vs-actual");
        String chart = SvgChart.bars("Plan and actual, " + MONTH.format(planMonth), currency.getCurrencyCode(),
                List.of(new SvgChart.Series("Planned", rows.stream()
                                .map(r -> new SvgChart.Point(r.category().label(), r.planned().doubleValue())).toList()),
                        new SvgChart.Series("Actual", rows.stream()
                                .map(r -> new SvgChart.Point(r.category().label(), r.actual().doubleValue())).toList())),
                620, 260);
        VerticalLayout section = new VerticalLayout(month, editor, save, grid, SvgChart.component(chart));
        section.setPadding(false);
        return section;
    }

    // ---- actual spend ----

    private Component actualsGrid() {
        List<ActualSpend> items = budget.actuals(null);
        if (items.isEmpty()) {
            return new Paragraph("No spending recorded yet.");
        }
        Grid<ActualSpend> grid = new Grid<>(ActualSpend.class, false);
        grid.addColumn(a -> DAY.format(a.getSpentOn())).setHeader("Date").setSortable(true)
                .setComparator(ActualSpend::getSpentOn).setAutoWidth(true).setFlexGrow(0);
        grid.addColumn(a -> a.getCategory().label()).setHeader("Category").setSortable(true).setAutoWidth(true)
                .setFlexGrow(0);
        amountColumn(grid, a -> money(a.getAmount()), "Amount").setSortable(true)
                .setComparator(ActualSpend::getAmount);
        grid.addColumn(a -> a.getProjectId() == null ? "" : projectNames.getOrDefault(a.getProjectId(),
                "archived project")).setHeader("Project").setWidth("9em");
        grid.addColumn(a -> a.getSource() == SpendSource.BILLING ? "Billing (read-only)" : "Entered")
                .setHeader("Source").setAutoWidth(true).setFlexGrow(0);
        grid.addColumn(ActualSpend::getNote).setHeader("Note").setFlexGrow(2).setWidth("10em");
        if (canManage) {
            grid.addComponentColumn(a -> {
                if (a.isReadOnly()) {
                    return new Span();
                }
                Button edit = new Button("Edit", e -> spendDialog(a));
                edit.addThemeVariants(ButtonVariant.LUMO_TERTIARY);
                return new HorizontalLayout(edit, deleteButton("Delete this spend entry?",
                        money(a.getAmount()) + " of " + a.getCategory().label() + " on " + DAY.format(a.getSpentOn())
                                + " is removed.", () -> budget.deleteActual(a.getId()), "Spend entry deleted"));
            }).setFlexGrow(0).setWidth("200px");
        }
        grid.setItems(items);
        grid.setAllRowsVisible(items.size() <= 25);
        grid.addThemeVariants(GridVariant.LUMO_ROW_STRIPES);
        return grid;
    }

    private void spendDialog(ActualSpend existing) {
        Dialog dialog = new Dialog();
        dialog.setHeaderTitle(existing == null ? "Record spend" : "Change spend entry");
        DatePicker date = new DatePicker("Date", existing == null ? budget.today() : existing.getSpentOn());
        Select<SpendCategory> category = new Select<>();
        category.setLabel("Category");
        category.setItems(SpendCategory.values());
        category.setItemLabelGenerator(SpendCategory::label);
        category.setValue(existing == null ? SpendCategory.COMPUTE : existing.getCategory());
        AmountField amount = new AmountField("Amount (" + currency.getCurrencyCode() + ")");
        ComboBox<Long> project = new ComboBox<>("Project (optional)");
        project.setItems(projectNames.keySet());
        project.setItemLabelGenerator(id -> projectNames.getOrDefault(id, "project " + id));
        project.setClearButtonVisible(true);
        TextField note = new TextField("Note");
        note.setMaxLength(ActualSpend.NOTE_MAX);
        if (existing != null) {
            amount.setValue(existing.getAmount());
            project.setValue(existing.getProjectId());
            note.setValue(existing.getNote());
        }
        FormLayout form = new FormLayout(date, category, amount, project, note);
        form.setColspan(note, 2);
        dialog.add(form);
        Map<String, HasValidation> fields = Map.of("spentOn", date, "category", category, "amount", amount,
                "note", note);
        Button save = new Button("Save", e -> {
            Messages.clear(fields);
            project.setInvalid(false);
            try {
                BudgetService.ActualForm f = new BudgetService.ActualForm(date.getValue(), category.getValue(),
                        amount.amount("amount"), note.getValue(), project.getValue());
                if (existing == null) {
                    budget.addActual(f);
                } else {
                    budget.updateActual(existing.getId(), f);
                }
                dialog.close();
                Messages.success("Spend saved");
                refresh();
            } catch (RuntimeException ex) {
                Messages.show(ex, fields);
            }
        });
        save.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        dialog.getFooter().add(new Button("Cancel", e -> dialog.close()), save);
        dialog.open();
        amount.focus();
    }

    // ---- compute budgets and alerts ----

    private Component computeSection() {
        List<ComputeBudgetService.BudgetStatus> statuses = compute.computeBudgets();
        Button add = new Button("Set a compute budget", VaadinIcon.PLUS.create(), e -> computeDialog(null));
        add.setVisible(canManage);
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
        amountColumn(grid, s -> money(s.budget().getMonthlyLimit()) + " / month", "Limit");
        amountColumn(grid, s -> money(s.spent()), "Spent " + MONTH.format(statuses.get(0).month()));
        amountColumn(grid, s -> money(s.left()), "Left");
        grid.addColumn(s -> s.percentUsed() + " %").setHeader("Used").setTextAlign(ColumnTextAlign.END)
                .setAutoWidth(true).setFlexGrow(0);
        grid.addColumn(s -> s.budget().getThresholds().stream().map(t -> t + " %")
                .collect(Collectors.joining(", "))).setHeader("Alerts at").setAutoWidth(true);
        if (canManage) {
            grid.addComponentColumn(s -> {
                Button edit = new Button("Edit", e -> computeDialog(s));
                edit.addThemeVariants(ButtonVariant.LUMO_TERTIARY);
                return new HorizontalLayout(edit, deleteButton("Delete the " + s.scope() + " compute budget?",
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

    private void computeDialog(ComputeBudgetService.BudgetStatus existing) {
        Dialog dialog = new Dialog();
        dialog.setHeaderTitle(existing == null ? "Set a compute budget" : "Change the " + existing.scope()
                + " compute budget");
        ComboBox<Long> project = new ComboBox<>("For project (empty: the whole company)");
        project.setItems(projectNames.keySet());
        project.setItemLabelGenerator(id -> projectNames.getOrDefault(id, "project " + id));
        project.setClearButtonVisible(true);
        AmountField limit = new AmountField("Monthly limit (" + currency.getCurrencyCode() + ")");
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
        FormLayout form = new FormLayout(project, limit, thresholds);
        dialog.add(form);
        compute.notChargedNote().ifPresent(note -> {
            Paragraph warning = new Paragraph(note);
            warning.addClassName("budget-not-charged");
            dialog.add(warning);
        });
        Map<String, HasValidation> fields = Map.of("monthlyLimit", limit, "thresholds", thresholds);
        Button save = new Button("Save", e -> {
            Messages.clear(fields);
            try {
                compute.saveComputeBudget(new ComputeBudgetService.BudgetForm(project.getValue(),
                        limit.amount("monthlyLimit"), thresholds.getValue()));
                dialog.close();
                Messages.success("Compute budget saved");
                refresh();
            } catch (RuntimeException ex) {
                Messages.show(ex, fields);
            }
        });
        save.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        dialog.getFooter().add(new Button("Cancel", e -> dialog.close()), save);
        dialog.open();
        limit.focus();
    }

    private Component alertsGrid() {
        List<BudgetAlert> alerts = compute.recentAlerts();
        if (alerts.isEmpty()) {
            return new Paragraph("No compute budget has reached an alert threshold.");
        }
        Grid<BudgetAlert> grid = new Grid<>(BudgetAlert.class, false);
        grid.addColumn(a -> Formats.dateTime(a.getCreatedAt())).setHeader("When");
        grid.addColumn(BudgetAlert::getScope).setHeader("For");
        grid.addColumn(a -> MONTH.format(a.getPeriod())).setHeader("Month");
        grid.addColumn(a -> a.getThreshold() + " % reached").setHeader("Alert");
        amountColumn(grid, a -> money(a.getSpent()) + " of " + money(a.getMonthlyLimit()), "Spent");
        grid.setItems(alerts);
        grid.setAllRowsVisible(true);
        return grid;
    }

    // ---- helpers ----

    private Button deleteButton(String title, String text, Runnable action, String success) {
        Button delete = new Button("Delete", e -> {
            ConfirmDialog confirm = new ConfirmDialog(title, text, "Delete", ok -> {
                try {
                    action.run();
                    Messages.success(success);
                } catch (RuntimeException ex) {
                    Messages.show(ex);
                }
                refresh();
            });
            confirm.setCancelable(true);
            confirm.setConfirmButtonTheme("error primary");
            confirm.open();
        });
        delete.addThemeVariants(ButtonVariant.LUMO_ERROR, ButtonVariant.LUMO_TERTIARY);
        return delete;
    }

    /** Amounts line up on the right and get the width they need: never "30,000.00 U…". */
    private static <T> Grid.Column<T> amountColumn(Grid<T> grid, ValueProvider<T, String> value, String header) {
        return grid.addColumn(value).setHeader(header).setTextAlign(ColumnTextAlign.END).setAutoWidth(true)
                .setFlexGrow(0).setPartNameGenerator(item -> "amount");
    }

    private String planMinusActual(RunwayMath.CategoryComparison row) {
        return row.left().signum() < 0 ? money(row.left().negate()) + " over" : money(row.left()) + " left";
    }

    private String money(BigDecimal amount) {
        return Money.format(amount, currency);
    }
}
