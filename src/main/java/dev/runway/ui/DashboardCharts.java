package dev.runway.ui;

import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import dev.runway.base.ui.Formats;
import dev.runway.base.ui.SvgChart;
import dev.runway.budget.ComputeBudgetService;
import dev.runway.base.Money;
import dev.runway.training.Run;
import dev.runway.training.RunService;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The dashboard's charts: compute spend this month against the company's budget, runs per day by status, and
 * executor slot use. Every figure is an aggregate the database computed; nothing here loads runs or spend rows.
 */
@Dependent
public class DashboardCharts extends Div {

    static final int DAYS = 30;
    static final int WIDTH = 520;
    static final int HEIGHT = 260;
    /** Status colours in the order of {@link Run.Status}: queued, running, succeeded, failed, cancelled, stopped. */
    private static final List<String> STATUS_COLOURS = List.of("#7f8c8d", "#1f6fd1", "#2a9d8f", "#c0392b", "#b0b0b0",
            "#e8833a");

    @Inject
    public DashboardCharts(ComputeBudgetService budgets, RunService runs) {
        addClassName("dashboard-charts");
        setId("dashboard-charts");
        add(spend(budgets.spendByDay()), runsPerDay(runs.runsPerDay(DAYS, Formats.zone())), slots(runs.slotUse()));
    }

    private static Div spend(ComputeBudgetService.SpendByDay s) {
        List<SvgChart.Point> spent = new ArrayList<>();
        List<SvgChart.Point> limit = new ArrayList<>();
        for (int d = 0; d < s.cumulative().size(); d++) {
            String label = Integer.toString(d + 1);
            BigDecimal value = s.cumulative().get(d);
            spent.add(new SvgChart.Point(label, value == null ? null : value.doubleValue()));
            limit.add(new SvgChart.Point(label, s.monthlyLimit() == null ? null : s.monthlyLimit().doubleValue()));
        }
        List<SvgChart.Series> series = new ArrayList<>();
        series.add(new SvgChart.Series("Spent so far", spent));
        if (s.monthlyLimit() != null) {
            series.add(new SvgChart.Series("Monthly limit", limit));
        }
        String month = s.month().getMonth().getDisplayName(java.time.format.TextStyle.FULL, Locale.ENGLISH);
        String code = s.currency().getCurrencyCode();
        Div box = box("chart-spend", SvgChart.line("Compute spend in " + month + " (" + code + ", cumulative)", code,
                series, WIDTH, HEIGHT));
        BigDecimal total = s.cumulative().stream().filter(v -> v != null).reduce((a, b) -> b).orElse(BigDecimal.ZERO);
        box.add(new Paragraph(s.monthlyLimit() == null
                ? Money.format(total, s.currency()) + " so far; no company-wide compute budget is set."
                : Money.format(total, s.currency()) + " of " + Money.format(s.monthlyLimit(), s.currency())
                        + " so far this month."));
        return box;
    }

    private static Div runsPerDay(RunService.RunsPerDay r) {
        DateTimeFormatter day = DateTimeFormatter.ofPattern("d MMM", Locale.ENGLISH);
        List<SvgChart.Series> series = new ArrayList<>();
        List<String> colours = new ArrayList<>();
        Run.Status[] statuses = Run.Status.values();
        for (int s = 0; s < statuses.length; s++) {
            long[] counts = r.counts().get(statuses[s]);
            if (java.util.Arrays.stream(counts).sum() == 0) {
                continue;
            }
            List<SvgChart.Point> points = new ArrayList<>();
            for (int d = 0; d < r.days().size(); d++) {
                points.add(new SvgChart.Point(day.format(r.days().get(d)), (double) counts[d]));
            }
            series.add(new SvgChart.Series(statuses[s].name().toLowerCase(Locale.ROOT), points));
            colours.add(STATUS_COLOURS.get(s));
        }
        if (series.isEmpty()) {
            List<SvgChart.Point> none = r.days().stream().map(d -> new SvgChart.Point(day.format(d), 0.0)).toList();
            series.add(new SvgChart.Series("runs", none));
            colours.add(STATUS_COLOURS.get(0));
        }
        return box("chart-runs", SvgChart.stackedBars("Runs per day, last " + DAYS + " days", "runs", series, colours,
                WIDTH, HEIGHT));
    }

    private static Div slots(RunService.SlotUse u) {
        ZoneId zone = Formats.zone();
        DateTimeFormatter hour = DateTimeFormatter.ofPattern("HH:mm", Locale.ENGLISH);
        List<SvgChart.Point> used = new ArrayList<>();
        List<SvgChart.Point> quota = new ArrayList<>();
        for (int h = 0; h < u.perHour().length; h++) {
            String label = hour.format(u.from().plusSeconds(3600L * h).atZone(zone));
            used.add(new SvgChart.Point(label, u.perHour()[h]));
            quota.add(new SvgChart.Point(label, (double) u.quota()));
        }
        Div box = box("chart-slots", SvgChart.line("Runs under way, average per hour (last 24 h)", "runs",
                List.of(new SvgChart.Series("your runs", used), new SvgChart.Series("plan's concurrency", quota)),
                WIDTH, HEIGHT));
        Paragraph now = new Paragraph("Now: " + u.runningNow() + (u.runningNow() == 1 ? " run" : " runs")
                + " under way; your plan runs " + u.quota() + " at a time; this node has " + u.slots()
                + " executor slot" + (u.slots() == 1 ? "" : "s") + ".");
        now.setId("slot-use-now");
        box.add(now);
        return box;
    }

    private static Div box(String id, String svg) {
        Div box = new Div(SvgChart.component(svg));
        box.setId(id);
        box.addClassName("dashboard-chart");
        return box;
    }

    /** The section's heading, for the dashboard to place above it. */
    static H3 heading() {
        return new H3("This month and recent runs");
    }
}
