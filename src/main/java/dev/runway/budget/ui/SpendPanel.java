package dev.runway.budget.ui;

import dev.runway.base.ui.AmountField;
import static dev.runway.budget.ui.BudgetPage.DAY;
import static dev.runway.budget.ui.BudgetPage.MONTH;
import static dev.runway.budget.ui.BudgetPage.amountColumn;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.HasValidation;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.datepicker.DatePicker;
import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.grid.FooterRow;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.TextField;
import dev.runway.base.ui.FormDialog;
import dev.runway.base.ui.Messages;
import dev.runway.base.ui.SvgChart;
import dev.runway.budget.ActualSpend;
import dev.runway.budget.RunwayMath;
import dev.runway.budget.SpendCategory;
import dev.runway.budget.SpendService;
import dev.runway.budget.SpendSource;
import java.math.BigDecimal;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The Budget page's spending: the plan of a month (editable, against actual spend, with a chart) and the actual spend
 * entries, people's with Edit and Delete and billing's read-only, and the form that records or changes an entry.
 */
class SpendPanel extends VerticalLayout {

    private final SpendService spend;
    private final BudgetPage page;

    /** {@code planMonth} is the month the plan shows; {@code monthChosen} hears when the member picks another. */
    SpendPanel(SpendService spend, BudgetPage page, YearMonth planMonth, Consumer<YearMonth> monthChosen) {
        this.spend = spend;
        this.page = page;
        setPadding(false);
        setWidthFull();
        add(new H3("Spending plan"), plan(planMonth, monthChosen), new H3("Actual spend"), actuals());
    }

    private Component plan(YearMonth planMonth, Consumer<YearMonth> monthChosen) {
        Select<YearMonth> month = new Select<>();
        month.setLabel("Month");
        List<YearMonth> months = new ArrayList<>();
        YearMonth now = YearMonth.from(page.today());
        for (int i = -12; i <= 12; i++) {
            months.add(now.plusMonths(i));
        }
        month.setItems(months);
        month.setItemLabelGenerator(MONTH::format);
        month.setValue(planMonth);
        month.addValueChangeListener(e -> {
            if (e.getValue() != null) {
                monthChosen.accept(e.getValue());
            }
        });

        String code = page.currency().getCurrencyCode();
        Map<SpendCategory, BigDecimal> plan = spend.plan(planMonth);
        Map<SpendCategory, AmountField> inputs = new EnumMap<>(SpendCategory.class);
        FormLayout editor = new FormLayout();
        for (SpendCategory category : SpendCategory.values()) {
            AmountField field = new AmountField(category.label() + " (" + code + ")");
            field.setValue(plan.get(category));
            field.setReadOnly(!page.canManage());
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
                spend.savePlan(planMonth, amounts);
                Messages.success("Plan for " + MONTH.format(planMonth) + " saved");
                page.refresh().run();
            } catch (RuntimeException ex) {
                Messages.show(ex, fields);
            }
        });
        save.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        save.setVisible(page.canManage());

        List<RunwayMath.CategoryComparison> rows = spend.planVsActual(planMonth);
        Grid<RunwayMath.CategoryComparison> grid = new Grid<>();
        Grid.Column<RunwayMath.CategoryComparison> name = grid.addColumn(r -> r.category().label())
                .setHeader("Category").setAutoWidth(true);
        Grid.Column<RunwayMath.CategoryComparison> planned = amountColumn(grid, r -> page.money(r.planned()),
                "Planned");
        Grid.Column<RunwayMath.CategoryComparison> actual = amountColumn(grid, r -> page.money(r.actual()),
                "Actual");
        Grid.Column<RunwayMath.CategoryComparison> left = amountColumn(grid, this::planMinusActual,
                "Plan minus actual");
        grid.setItems(rows);
        grid.setAllRowsVisible(true);
        RunwayMath.CategoryComparison total = RunwayMath.total(rows);
        FooterRow totals = grid.appendFooterRow();
        totals.getCell(name).setText("Total");
        totals.getCell(planned).setText(page.money(total.planned()));
        totals.getCell(actual).setText(page.money(total.actual()));
        totals.getCell(left).setText(planMinusActual(total));
        grid.addClassName("plan-vs-actual");
        String chart = SvgChart.bars("Plan and actual, " + MONTH.format(planMonth), code, List.of(
                new SvgChart.Series("Planned", rows.stream()
                        .map(r -> new SvgChart.Point(r.category().label(), r.planned().doubleValue())).toList()),
                new SvgChart.Series("Actual", rows.stream()
                        .map(r -> new SvgChart.Point(r.category().label(), r.actual().doubleValue())).toList())),
                620, 260);
        VerticalLayout section = new VerticalLayout(month, editor, save, grid, SvgChart.component(chart));
        section.setPadding(false);
        return section;
    }

    private Component actuals() {
        List<ActualSpend> items = spend.actuals(null);
        if (items.isEmpty()) {
            return new Paragraph("No spending recorded yet.");
        }
        Grid<ActualSpend> grid = new Grid<>(ActualSpend.class, false);
        grid.addColumn(a -> DAY.format(a.getSpentOn())).setHeader("Date").setSortable(true)
                .setComparator(ActualSpend::getSpentOn).setAutoWidth(true).setFlexGrow(0);
        grid.addColumn(a -> a.getCategory().label()).setHeader("Category").setSortable(true).setAutoWidth(true)
                .setFlexGrow(0);
        amountColumn(grid, a -> page.money(a.getAmount()), "Amount").setSortable(true)
                .setComparator(ActualSpend::getAmount);
        grid.addColumn(a -> a.getProjectId() == null ? "" : page.projectNames().getOrDefault(a.getProjectId(),
                "archived project")).setHeader("Project").setWidth("9em");
        grid.addColumn(a -> a.getSource() == SpendSource.BILLING ? "Billing (read-only)" : "Entered")
                .setHeader("Source").setAutoWidth(true).setFlexGrow(0);
        grid.addColumn(ActualSpend::getNote).setHeader("Note").setFlexGrow(2).setWidth("10em");
        if (page.canManage()) {
            grid.addComponentColumn(a -> {
                if (a.isReadOnly()) {
                    return new Span();
                }
                Button edit = new Button("Edit", e -> open(spend, page, a));
                edit.addThemeVariants(ButtonVariant.LUMO_TERTIARY);
                return new HorizontalLayout(edit, page.deleteButton("Delete this spend entry?",
                        page.money(a.getAmount()) + " of " + a.getCategory().label() + " on "
                                + DAY.format(a.getSpentOn()) + " is removed.", () -> spend.deleteActual(a.getId()),
                        "Spend entry deleted"));
            }).setFlexGrow(0).setWidth("200px");
        }
        grid.setItems(items);
        grid.setAllRowsVisible(items.size() <= 25);
        grid.addThemeVariants(GridVariant.LUMO_ROW_STRIPES);
        return grid;
    }

    /** The spend form: {@code existing} null records a new entry. */
    static void open(SpendService spend, BudgetPage page, ActualSpend existing) {
        FormDialog dialog = new FormDialog(existing == null ? "Record spend" : "Change spend entry", "Save",
                "Cancel");
        DatePicker date = new DatePicker("Date", existing == null ? page.today() : existing.getSpentOn());
        Select<SpendCategory> category = new Select<>();
        category.setLabel("Category");
        category.setItems(SpendCategory.values());
        category.setItemLabelGenerator(SpendCategory::label);
        category.setValue(existing == null ? SpendCategory.COMPUTE : existing.getCategory());
        AmountField amount = new AmountField("Amount (" + page.currency().getCurrencyCode() + ")");
        ComboBox<Long> project = new ComboBox<>("Project (optional)");
        project.setItems(page.projectNames().keySet());
        project.setItemLabelGenerator(page::projectName);
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
        dialog.onSubmit(Map.of("spentOn", date, "category", category, "amount", amount, "note", note), () -> {
            SpendService.ActualForm f = new SpendService.ActualForm(date.getValue(), category.getValue(),
                    amount.amount("amount"), note.getValue(), project.getValue());
            if (existing == null) {
                spend.addActual(f);
            } else {
                spend.updateActual(existing.getId(), f);
            }
            dialog.done("Spend saved");
            page.refresh().run();
        });
        dialog.open();
        amount.focus();
    }

    private String planMinusActual(RunwayMath.CategoryComparison row) {
        return row.left().signum() < 0 ? page.money(row.left().negate()) + " over" : page.money(row.left()) + " left";
    }
}
