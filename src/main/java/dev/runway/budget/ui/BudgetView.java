package dev.runway.budget.ui;

import static dev.runway.budget.ui.BudgetPage.DAY;
import static dev.runway.budget.ui.BudgetPage.MONTH;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.FlexLayout;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import dev.runway.base.ui.Download;
import dev.runway.base.ui.EmptyState;
import dev.runway.base.ui.Messages;
import dev.runway.base.ui.PageHeader;
import dev.runway.base.ui.SvgChart;
import dev.runway.budget.BudgetService;
import dev.runway.budget.ComputeBudgetService;
import dev.runway.budget.FundingService;
import dev.runway.budget.SpendService;
import dev.runway.budget.RunwayMath;
import dev.runway.tenancy.Access;
import dev.runway.tenancy.Actor;
import dev.runway.tenancy.Permission;
import dev.runway.tenancy.RequiresPermission;
import dev.runway.tenancy.TenantContext;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Funding, burn and runway, the spending plan, actual spend, compute budgets and their alerts. */
@Route("budget")
@PageTitle("Budget · Runway")
@RequiresPermission(Permission.READ)
public class BudgetView extends VerticalLayout {

    private final BudgetService budget;
    private final FundingService funding;
    private final SpendService spend;
    private final ComputeBudgetService compute;
    private final boolean canManage;
    private final Actor actor;
    private final VerticalLayout content = new VerticalLayout();
    private YearMonth planMonth;
    private Currency currency;

    @Inject
    public BudgetView(BudgetService budget, FundingService funding, SpendService spend,
            ComputeBudgetService compute, Access access) {
        this.budget = budget;
        this.funding = funding;
        this.spend = spend;
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
        BudgetPage page = new BudgetPage(currency, budget.today(), budget.projectNames(), canManage, this::refresh);
        BudgetService.Summary summary = budget.summary();

        Button addFunding = new Button("Record funding", VaadinIcon.PLUS.create(),
                e -> FundingPanel.open(funding, page, null));
        addFunding.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        Button addSpend = new Button("Record spend", VaadinIcon.PLUS.create(), e -> SpendPanel.open(spend, page, null));
        addFunding.setVisible(canManage);
        addSpend.setVisible(canManage);
        Anchor export = Download.link("Export (CSV)", "runway-budget-" + budget.today() + ".csv", "text/csv",
                () -> TenantContext.runAs(actor, () -> budget.exportCsv().getBytes(StandardCharsets.UTF_8)));
        export.addClassName("budget-export");
        export.setVisible(!summary.nothingRecorded());
        content.add(new PageHeader("Budget", export, addSpend, addFunding));

        if (summary.nothingRecorded()) {
            Button fill = new Button("Record your first funding", VaadinIcon.PLUS.create(),
                    e -> FundingPanel.open(funding, page, null));
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

        content.add(cards(summary, page));
        content.add(charts());
        content.add(new FundingPanel(funding, page));
        content.add(new SpendPanel(spend, page, planMonth, month -> {
            planMonth = month;
            refresh();
        }));
        content.add(new ComputeBudgetPanel(compute, page));
    }

    // ---- summary and charts ----

    private static Component cards(BudgetService.Summary summary, BudgetPage page) {
        String burnNote = summary.burn().months().isEmpty()
                ? "no complete month recorded yet"
                : "average of " + summary.burn().months().size() + " complete month"
                        + (summary.burn().months().size() == 1 ? "" : "s") + " ("
                        + summary.burn().months().stream().map(MONTH::format).collect(Collectors.joining(", "))
                        + ")";
        FlexLayout cards = new FlexLayout(
                card("Cash on hand", page.money(summary.cashOnHand()), "as of " + DAY.format(summary.asOf())),
                card("Monthly burn", page.money(summary.burn().amount()) + " / month", burnNote),
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
}
