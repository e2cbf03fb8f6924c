package dev.runway.billing.ui;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.HasValidation;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.grid.ColumnTextAlign;
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
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import dev.runway.base.ui.Download;
import dev.runway.base.ui.EmptyState;
import dev.runway.base.ui.Figure;
import dev.runway.base.ui.FormDialog;
import dev.runway.base.ui.Formats;
import dev.runway.base.ui.Messages;
import dev.runway.base.ui.PageHeader;
import dev.runway.base.ui.SvgChart;
import dev.runway.billing.Invoice;
import dev.runway.billing.InvoiceDocuments;
import dev.runway.billing.InvoiceLine;
import dev.runway.billing.InvoiceService;
import dev.runway.billing.Plan;
import dev.runway.billing.PlanService;
import dev.runway.billing.PriceList;
import dev.runway.billing.Resource;
import dev.runway.billing.UsageService;
import dev.runway.base.Money;
import dev.runway.base.ui.AmountField;
import dev.runway.tenancy.Access;
import dev.runway.tenancy.Actor;
import dev.runway.tenancy.Permission;
import dev.runway.tenancy.RequiresPermission;
import dev.runway.tenancy.TenantContext;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Supplier;

/** Plan and prices, this month's usage by day and by project, invoices with downloads, credits, usage export. */
@Route("billing")
@PageTitle("Billing · Runway")
@RequiresPermission(Permission.READ_BILLING)
public class BillingView extends VerticalLayout {

    private final PlanService plans;
    private final InvoiceService invoices;
    private final InvoiceDocuments documents;
    private final UsageService usage;
    private final Clock clock;
    private final boolean canManage;
    private final Actor actor;

    @Inject
    public BillingView(PlanService plans, InvoiceService invoices, InvoiceDocuments documents, UsageService usage,
            Access access, Clock clock) {
        this.plans = plans;
        this.invoices = invoices;
        this.documents = documents;
        this.usage = usage;
        this.clock = clock;
        this.canManage = access.can(Permission.MANAGE_BUDGET);
        this.actor = TenantContext.current().orElseThrow();
        render();
    }

    private void render() {
        removeAll();
        YearMonth month = YearMonth.from(clock.instant().atZone(ZoneOffset.UTC));
        PriceList prices = plans.current();
        List<Invoice> all = invoices.invoices();
        Invoice draft = all.stream().filter(i -> i.getPeriod().equals(month)).findFirst().orElse(null);
        Currency currency = prices.getCurrency();

        Anchor export = download(() -> usage.exportCsv(month).getBytes(StandardCharsets.UTF_8),
                "runway-usage-" + month + ".csv", "text/csv", "Export " + month + " usage (CSV)");
        add(new PageHeader("Billing", export));

        FlexLayout figures = new FlexLayout();
        figures.addClassName("run-facts");
        figures.add(Figure.large("Plan", prices.getPlan().label()));
        figures.add(Figure.large("This month so far", draft == null ? Money.format(BigDecimal.ZERO, currency)
                : Money.format(draft.getSubtotal(), currency)));
        BigDecimal creditLeft = invoices.credits().stream().map(InvoiceService.CreditBalance::remaining)
                .reduce(BigDecimal.ZERO, BigDecimal::add);
        figures.add(Figure.large("Prepaid credit left", Money.format(creditLeft, currency)));
        add(figures);
        add(new Paragraph(priceLine(prices)));
        Instant now = clock.instant();
        plans.history().stream().filter(change -> change.getEffectiveFrom().isAfter(now))
                .forEach(change -> add(new Paragraph("Scheduled: the " + change.getPlan().label() + " plan from "
                        + Formats.dateTime(change.getEffectiveFrom()) + ".")));
        if (canManage) {
            add(planForm(prices.getPlan()));
        }

        add(new H3("Usage this month by day"));
        add(dailyChart(month));

        add(new H3("This month by project"));
        List<InvoiceLine> lines = draft == null ? List.of() : invoices.lines(draft.getId());
        add(lines.isEmpty() ? new EmptyState("No usage yet this month",
                "Runs are metered per checkpoint and storage once a day; they show here as they are recorded.")
                : linesGrid(lines, currency));

        add(new H3("Invoices"));
        add(invoicesGrid(all));

        add(new H3("Prepaid credit"));
        add(creditsSection(currency));
    }

    private static String priceLine(PriceList p) {
        Currency c = p.getCurrency();
        String gpu = p.allowsGpu() ? Money.format(p.unitPrice(Resource.GPU), c) + " per GPU-hour" : "no GPUs";
        String allowance = p.cpuMinutesIncluded().map(m -> ", " + m + " CPU-minutes a month included").orElse("");
        return p.getPlan().label() + " prices (version " + p.getVersion() + "): " + gpu + ", "
                + Money.format(p.unitPrice(Resource.CPU), c) + " per CPU-hour, "
                + Money.format(p.unitPrice(Resource.STORAGE), c) + " per GB-month; up to " + p.getConcurrency()
                + " run" + (p.getConcurrency() == 1 ? "" : "s") + " at once" + allowance + ".";
    }

    private Component planForm(Plan current) {
        Select<Plan> plan = new Select<>();
        plan.setLabel("Plan");
        plan.setItems(Plan.values());
        plan.setItemLabelGenerator(Plan::label);
        plan.setValue(current);
        Select<String> when = new Select<>();
        when.setLabel("Takes effect");
        when.setItems("now", "next month");
        when.setItemLabelGenerator(w -> w.equals("now") ? "Now" : "At the start of next month (UTC)");
        when.setValue("now");
        Button change = new Button("Change plan", e -> {
            Instant from = when.getValue().equals("now") ? null : YearMonth.from(clock.instant()
                    .atZone(ZoneOffset.UTC)).plusMonths(1).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
            try {
                plans.changePlan(plan.getValue(), from);
                Messages.success("Plan changed to " + plan.getValue().label()
                        + (from == null ? "" : " from " + LocalDate.ofInstant(from, ZoneOffset.UTC)));
                render();
            } catch (RuntimeException ex) {
                Messages.show(ex, Map.<String, HasValidation>of("plan", plan));
            }
        });
        HorizontalLayout form = new HorizontalLayout(plan, when, change);
        form.setAlignItems(Alignment.BASELINE);
        form.setWrap(true);
        return form;
    }

    private Component dailyChart(YearMonth month) {
        TreeMap<LocalDate, double[]> byDay = new TreeMap<>();
        for (int d = 1; d <= month.lengthOfMonth(); d++) {
            byDay.put(month.atDay(d), new double[2]);
        }
        for (UsageService.DailyUsage u : usage.daily(month)) {
            double[] hours = byDay.get(u.day());
            if (hours != null && u.resource() != Resource.STORAGE) {
                hours[u.resource() == Resource.CPU ? 0 : 1] += u.quantity().doubleValue();
            }
        }
        // Small use reads better in minutes than in fractions of an hour.
        double most = byDay.values().stream().mapToDouble(h -> Math.max(h[0], h[1])).max().orElse(0);
        double scale = most < 1 ? 60 : 1;
        String unit = most < 1 ? "min" : "h";
        List<SvgChart.Point> cpu = new ArrayList<>();
        List<SvgChart.Point> gpu = new ArrayList<>();
        byDay.forEach((day, hours) -> {
            cpu.add(new SvgChart.Point(Integer.toString(day.getDayOfMonth()), hours[0] * scale));
            gpu.add(new SvgChart.Point(Integer.toString(day.getDayOfMonth()), hours[1] * scale));
        });
        String title = (most < 1 ? "Device-minutes" : "Device-hours") + " by day, " + month;
        Div chart = new Div(SvgChart.component(SvgChart.bars(title, unit,
                List.of(new SvgChart.Series("CPU", cpu), new SvgChart.Series("GPU", gpu)), 760, 220)));
        chart.setId("billing-usage-chart");
        return chart;
    }

    private static Grid<InvoiceLine> linesGrid(List<InvoiceLine> lines, Currency currency) {
        Grid<InvoiceLine> grid = new Grid<>();
        grid.addColumn(InvoiceLine::getDescription).setHeader("Item").setFlexGrow(3).setWidth("14em");
        amount(grid.addColumn(l -> l.getQuantity().stripTrailingZeros().toPlainString() + " " + l.getUnit())
                .setHeader("Quantity"));
        amount(grid.addColumn(l -> Money.format(l.getUnitPrice(), currency)).setHeader("Unit price"));
        amount(grid.addColumn(l -> Money.format(l.getAmount(), currency)).setHeader("Amount"));
        grid.setItems(lines);
        grid.setAllRowsVisible(true);
        grid.addThemeVariants(GridVariant.LUMO_COMPACT);
        return grid;
    }

    /** Amounts line up on the right and get the width they need, at any window width. */
    private static <T> Grid.Column<T> amount(Grid.Column<T> column) {
        return column.setTextAlign(ColumnTextAlign.END).setAutoWidth(true).setFlexGrow(0)
                .setPartNameGenerator(item -> "amount");
    }

    private Component invoicesGrid(List<Invoice> all) {
        if (all.isEmpty()) {
            return new EmptyState("No invoices yet", "Each month's invoice is drafted as usage is recorded and "
                    + "finalised when the month ends.");
        }
        Grid<Invoice> grid = new Grid<>();
        grid.setId("billing-invoices");
        grid.addColumn(Invoice::label).setHeader("Invoice").setAutoWidth(true).setFlexGrow(0);
        grid.addColumn(i -> i.getPeriod().toString()).setHeader("Month").setAutoWidth(true).setFlexGrow(0);
        grid.addColumn(i -> i.getStatus().name().toLowerCase()).setHeader("Status").setAutoWidth(true)
                .setFlexGrow(0);
        amount(grid.addColumn(i -> Money.format(i.getSubtotal(), i.getCurrency())).setHeader("Subtotal"));
        amount(grid.addColumn(i -> Money.format(i.getCreditsApplied(), i.getCurrency())).setHeader("Credit"));
        amount(grid.addColumn(i -> Money.format(i.getTotal(), i.getCurrency())).setHeader("Total"));
        grid.addComponentColumn(this::invoiceActions).setHeader("").setFlexGrow(2).setWidth("16em");
        grid.setItems(all);
        grid.setAllRowsVisible(true);
        grid.addThemeVariants(GridVariant.LUMO_COMPACT);
        return grid;
    }

    private Component invoiceActions(Invoice invoice) {
        long id = invoice.getId();
        HorizontalLayout actions = new HorizontalLayout();
        actions.add(download(() -> documents.pdf(id), InvoiceDocuments.fileName(invoice, "pdf"), "application/pdf",
                "PDF"));
        actions.add(download(() -> documents.csv(id).getBytes(StandardCharsets.UTF_8),
                InvoiceDocuments.fileName(invoice, "csv"), "text/csv", "CSV"));
        Button lines = new Button("Lines", e -> linesDialog(invoice));
        lines.addThemeVariants(ButtonVariant.LUMO_TERTIARY_INLINE);
        actions.add(lines);
        if (canManage && invoice.getStatus() == Invoice.Status.FINALISED) {
            Button paid = new Button("Mark paid", e -> reasonDialog("Mark " + invoice.label() + " paid",
                    "Payment reference (e.g. the bank transfer id)", "Mark paid",
                    reference -> invoices.markPaid(id, reference), "Invoice marked paid"));
            paid.addThemeVariants(ButtonVariant.LUMO_TERTIARY_INLINE);
            Button voidIt = new Button("Void", e -> reasonDialog("Void " + invoice.label(), "Why is it void?",
                    "Void invoice", reason -> invoices.voidInvoice(id, reason), "Invoice voided"));
            voidIt.addThemeVariants(ButtonVariant.LUMO_TERTIARY_INLINE, ButtonVariant.LUMO_ERROR);
            actions.add(paid, voidIt);
        }
        actions.setAlignItems(Alignment.BASELINE);
        return actions;
    }

    private void linesDialog(Invoice invoice) {
        Dialog dialog = new Dialog();
        dialog.setHeaderTitle("Invoice " + invoice.label() + " · " + invoice.getPeriod() + " · "
                + invoice.getPlanSummary());
        List<InvoiceLine> lines = invoices.lines(invoice.getId());
        Currency c = invoice.getCurrency();
        dialog.add(lines.isEmpty() ? new Paragraph("No usage in this month.") : linesGrid(lines, c));
        dialog.add(new Paragraph("Subtotal " + Money.format(invoice.getSubtotal(), c) + " − credit "
                + Money.format(invoice.getCreditsApplied(), c) + " = total " + Money.format(invoice.getTotal(), c)
                + ". Each line is rounded half up to the cent; the subtotal is their sum."));
        if (invoice.getPaymentReference() != null) {
            dialog.add(new Paragraph("Paid " + Formats.date(invoice.getPaidAt()) + ", reference "
                    + invoice.getPaymentReference()));
        }
        if (invoice.getVoidReason() != null) {
            dialog.add(new Paragraph("Void: " + invoice.getVoidReason()));
        }
        dialog.getFooter().add(new Button("Close", e -> dialog.close()));
        dialog.setWidth("860px");
        dialog.open();
    }

    private void reasonDialog(String title, String label, String action, Consumer<String> work,
            String done) {
        FormDialog dialog = new FormDialog(title, action, "Cancel");
        TextField text = new TextField(label);
        text.setWidthFull();
        dialog.add(text);
        dialog.onSubmit(Map.of("reference", text, "reason", text), () -> {
            work.accept(text.getValue());
            dialog.done(done);
            render();
        });
        dialog.open();
    }

    private Component creditsSection(Currency currency) {
        List<InvoiceService.CreditBalance> credits = invoices.credits();
        VerticalLayout section = new VerticalLayout();
        section.setPadding(false);
        if (credits.isEmpty()) {
            section.add(new Span("No prepaid credit. Credit is applied to finalised invoices before their total."));
        } else {
            Grid<InvoiceService.CreditBalance> grid = new Grid<>();
            grid.addColumn(b -> Formats.date(b.credit().getGrantedAt())).setHeader("Added").setAutoWidth(true)
                    .setFlexGrow(0);
            grid.addColumn(b -> b.credit().getReference()).setHeader("Reference").setFlexGrow(2).setWidth("10em");
            amount(grid.addColumn(b -> Money.format(b.credit().getAmount(), b.credit().getCurrency()))
                    .setHeader("Amount"));
            amount(grid.addColumn(b -> Money.format(b.remaining(), b.credit().getCurrency())).setHeader("Left"));
            grid.setItems(credits);
            grid.setAllRowsVisible(true);
            grid.addThemeVariants(GridVariant.LUMO_COMPACT);
            section.add(grid);
        }
        if (canManage) {
            AmountField amount = new AmountField("Amount (" + currency.getCurrencyCode() + ")");
            TextField reference = new TextField("Reference");
            reference.setHelperText("Where the prepayment came from, e.g. its transfer id");
            Button add = new Button("Add credit", VaadinIcon.PLUS.create(), e -> {
                Map<String, HasValidation> fields = Map.of("amount", amount, "reference", reference);
                Messages.clear(fields);
                try {
                    invoices.addCredit(amount.amount("amount"), reference.getValue());
                    Messages.success("Credit added");
                    render();
                } catch (RuntimeException ex) {
                    Messages.show(ex, fields);
                }
            });
            FormLayout form = new FormLayout(amount, reference, add);
            form.setMaxWidth("760px");
            section.add(form);
        }
        return section;
    }

    /** A download made as the signed-in member (the click comes on a request of its own). */
    private Anchor download(Supplier<byte[]> content, String fileName, String type, String text) {
        return Download.link(text, fileName, type, () -> TenantContext.runAs(actor, content));
    }
}
