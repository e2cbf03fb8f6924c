package dev.runway.training.ui;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.checkbox.Checkbox;
import com.vaadin.flow.component.grid.ColumnTextAlign;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.FlexLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.router.AfterNavigationEvent;
import com.vaadin.flow.router.AfterNavigationObserver;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.HasDynamicTitle;
import com.vaadin.flow.router.QueryParameters;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.router.RouteParameters;
import com.vaadin.flow.router.RouterLink;
import dev.runway.base.BadInputException;
import dev.runway.base.NotFoundException;
import dev.runway.base.ui.EmptyState;
import dev.runway.base.ui.Formats;
import dev.runway.base.ui.PageHeader;
import dev.runway.base.ui.SvgChart;
import dev.runway.dataset.ui.DatasetVersionView;
import dev.runway.tenancy.Permission;
import dev.runway.tenancy.RequiresPermission;
import dev.runway.training.RunComparison;
import dev.runway.training.engine.Template;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Several runs side by side at {@code runs/compare?ids=12,15,19&baseline=12}: the URL holds everything, so a teammate
 * who opens it sees the same comparison. Settings ("only differences"), test metrics with deltas against the baseline,
 * each run's dataset version, and overlaid curves (a colour per run, downsampled by the service).
 */
@Route("runs/compare")
@RequiresPermission(Permission.READ)
public class RunCompareView extends VerticalLayout implements BeforeEnterObserver, AfterNavigationObserver,
        HasDynamicTitle {

    static final int CHART_WIDTH = 520;
    static final int CHART_HEIGHT = 280;

    private final RunComparison comparison;
    private final Checkbox onlyDifferences = new Checkbox("Only differences");
    private final Select<RunComparison.Compared> baseline = new Select<>();
    private String title = "Compare runs";
    private RunComparison.Comparison shown;
    private Grid<RunComparison.Setting> settingsGrid;

    @Inject
    public RunCompareView(RunComparison comparison) {
        this.comparison = comparison;
        addClassName("run-compare");
        baseline.setLabel("Baseline");
        baseline.setItemLabelGenerator(r -> "Run " + r.id());
        baseline.addValueChangeListener(e -> {
            if (e.isFromClient() && e.getValue() != null && shown != null) {
                open(shown.runs().stream().map(RunComparison.Compared::id).toList(), e.getValue().id());
            }
        });
        onlyDifferences.setId("only-differences");
        onlyDifferences.addValueChangeListener(e -> filterSettings());
    }

    /** The query of a comparison's URL: what the runs list opens and what a teammate is sent. */
    static QueryParameters query(List<Long> ids, Long baselineId) {
        Map<String, List<String>> parameters = new java.util.LinkedHashMap<>();
        parameters.put("ids", List.of(ids.stream().map(String::valueOf).collect(Collectors.joining(","))));
        if (baselineId != null) {
            parameters.put("baseline", List.of(baselineId.toString()));
        }
        return new QueryParameters(parameters);
    }

    private void open(List<Long> ids, Long baselineId) {
        getUI().ifPresent(ui -> ui.navigate(RunCompareView.class, RouteParameters.empty(), query(ids, baselineId)));
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        removeAll();
        shown = null;
        Map<String, List<String>> parameters = event.getLocation().getQueryParameters().getParameters();
        String ids = String.join(",", parameters.getOrDefault("ids", List.of()));
        String base = parameters.getOrDefault("baseline", List.of("")).get(0);
        try {
            Long baselineId = base.matches("\\d{1,18}") ? Long.valueOf(base) : null;
            render(comparison.compare(RunComparison.parseIds(ids), baselineId));
        } catch (BadInputException e) {
            add(new PageHeader("Compare runs"), new EmptyState("Nothing to compare", e.getMessage()
                    + ". Select runs in the Runs list and press Compare."));
        } catch (NotFoundException e) {
            event.rerouteToError(e, e.getMessage());
        }
    }

    /** The address bar shows the ids as typed ({@code ids=12,15,19}), not with encoded commas. */
    @Override
    public void afterNavigation(AfterNavigationEvent event) {
        if (shown != null) {
            String ids = shown.runs().stream().map(r -> Long.toString(r.id())).collect(Collectors.joining(","));
            String location = "runs/compare?ids=" + ids + "&baseline=" + shown.baselineId();
            // After the router has written its own (encoded) address for this navigation.
            getUI().ifPresent(ui -> ui.beforeClientResponse(this, context -> ui.getPage()
                    .executeJs("setTimeout(() => history.replaceState(history.state, '', $0))", location)));
        }
    }

    private void render(RunComparison.Comparison c) {
        shown = c;
        title = "Compare runs " + c.runs().stream().map(r -> Long.toString(r.id())).collect(Collectors.joining(", "));
        baseline.setItems(c.runs());
        baseline.setValue(c.runs().get(c.baselineIndex()));
        add(new PageHeader("Compare " + c.runs().size() + " runs", baseline));
        add(legend(c));

        add(new H3("Settings"), onlyDifferences);
        settingsGrid = table();
        settingsGrid.setId("compare-settings");
        settingsGrid.addColumn(RunComparison.Setting::name).setHeader("Setting").setFrozen(true).setAutoWidth(true)
                .setFlexGrow(0);
        for (int i = 0; i < c.runs().size(); i++) {
            int index = i;
            settingsGrid.addColumn(s -> s.values().get(index)).setHeader(header(c, i)).setAutoWidth(true);
        }
        settingsGrid.setPartNameGenerator(s -> s.differs() ? "differs" : null);
        filterSettings();
        add(box(settingsGrid));

        add(new H3("Test metrics"));
        if (c.metrics().isEmpty()) {
            add(new Span("None of these runs has test metrics yet."));
        } else {
            Grid<RunComparison.Metric> metrics = table();
            metrics.setId("compare-metrics");
            metrics.addColumn(m -> Labels.metric(m.key()) + (m.lowerIsBetter() ? " (lower is better)" : ""))
                    .setHeader("Metric").setFrozen(true).setAutoWidth(true).setFlexGrow(0);
            for (int i = 0; i < c.runs().size(); i++) {
                int index = i;
                boolean isBaseline = index == c.baselineIndex();
                metrics.addComponentColumn(m -> metricCell(m, index, isBaseline)).setHeader(header(c, i))
                        .setAutoWidth(true).setTextAlign(ColumnTextAlign.END);
            }
            metrics.setItems(c.metrics());
            add(box(metrics));
        }

        add(new H3("Curves"));
        if (!c.curves().isEmpty()) {
            add(swatches(c));
        }
        if (c.curves().isEmpty()) {
            add(new Span("No epochs recorded yet."));
        } else {
            FlexLayout charts = new FlexLayout();
            charts.addClassName("compare-charts");
            charts.setFlexWrap(FlexLayout.FlexWrap.WRAP);
            for (RunComparison.Curve curve : c.curves()) {
                charts.add(chart(c, curve));
            }
            add(charts);
        }
    }

    private static <T> Grid<T> table() {
        Grid<T> grid = new Grid<>();
        grid.addThemeVariants(GridVariant.LUMO_COMPACT, GridVariant.LUMO_COLUMN_BORDERS);
        grid.setAllRowsVisible(true);
        // Many runs make the table wider than a phone: it scrolls inside its own box, never the page.
        grid.setWidthFull();
        return grid;
    }

    private static Div box(Component table) {
        Div box = new Div(table);
        box.addClassName("compare-table");
        return box;
    }

    private static String header(RunComparison.Comparison c, int index) {
        RunComparison.Compared run = c.runs().get(index);
        return "Run " + run.id() + (index == c.baselineIndex() ? " (baseline)" : "");
    }

    /** The value, and for the other runs its difference to the baseline, coloured by whether it is better. */
    private static Component metricCell(RunComparison.Metric m, int index, boolean isBaseline) {
        Double value = m.values().get(index);
        Span cell = new Span(value == null ? "—" : Formats.number(value));
        Double delta = m.deltas().get(index);
        if (!isBaseline && delta != null) {
            Span d = new Span(" (" + (delta > 0 ? "+" : delta < 0 ? "−" : "±") + Formats.number(Math.abs(delta))
                    + ")");
            d.addClassName("delta");
            if (delta != 0) {
                d.addClassName((delta > 0) != m.lowerIsBetter() ? "better" : "worse");
            }
            cell.add(d);
        }
        return cell;
    }

    /** One line per run: its colour, a link to it, what it is, and its dataset version as a link. */
    private static Component legend(RunComparison.Comparison c) {
        Div legend = new Div();
        legend.addClassName("compare-legend");
        for (int i = 0; i < c.runs().size(); i++) {
            RunComparison.Compared run = c.runs().get(i);
            Span swatch = new Span();
            swatch.addClassName("swatch");
            swatch.getStyle().set("background", colour(i));
            RouterLink runLink = new RouterLink("Run " + run.id(), RunView.class,
                    new RouteParameters("id", Long.toString(run.id())));
            RouterLink data = new RouterLink(run.datasetLabel(), DatasetVersionView.class,
                    new RouteParameters("id", Long.toString(run.datasetVersionId())));
            data.addClassName("dataset-link");
            Div line = new Div(swatch, runLink, new Span(" · " + Template.labelOf(run.template()) + " · "
                    + run.projectName() + " · " + run.status().name().toLowerCase() + " · data "), data);
            line.addClassName("compare-run");
            if (i == c.baselineIndex()) {
                line.add(new Span(" · baseline"));
            }
            legend.add(line);
        }
        return legend;
    }

    /** The charts' key, next to them: a colour per run. */
    private static Component swatches(RunComparison.Comparison c) {
        Div key = new Div();
        key.addClassName("compare-legend");
        key.addClassName("compare-key");
        for (int i = 0; i < c.runs().size(); i++) {
            Span swatch = new Span();
            swatch.addClassName("swatch");
            swatch.getStyle().set("background", colour(i));
            Span entry = new Span(swatch, new Span("Run " + c.runs().get(i).id()));
            entry.addClassName("compare-key-entry");
            key.add(entry);
        }
        return key;
    }

    private static Component chart(RunComparison.Comparison c, RunComparison.Curve curve) {
        List<SvgChart.XYSeries> series = new ArrayList<>();
        for (RunComparison.Line line : curve.lines()) {
            int index = indexOf(c, line.runId());
            series.add(new SvgChart.XYSeries("Run " + line.runId(), colour(index),
                    index >= SvgChart.MANY_COLOURS.size(), line.epochs(), line.values()));
        }
        String what = curve.loss() ? "loss" : Labels.curve(curve.task());
        String name = curve.split() + " " + (curve.loss() || what.equals("MSE") ? what : what.toLowerCase());
        return SvgChart.component(SvgChart.xyLines(name, "epoch", curve.loss() ? "loss" : "", series, CHART_WIDTH,
                CHART_HEIGHT, false));
    }

    private static int indexOf(RunComparison.Comparison c, long runId) {
        for (int i = 0; i < c.runs().size(); i++) {
            if (c.runs().get(i).id() == runId) {
                return i;
            }
        }
        return 0;
    }

    static String colour(int index) {
        return SvgChart.MANY_COLOURS.get(index % SvgChart.MANY_COLOURS.size());
    }

    private void filterSettings() {
        if (shown == null || settingsGrid == null) {
            return;
        }
        settingsGrid.setItems(onlyDifferences.getValue()
                ? shown.settings().stream().filter(RunComparison.Setting::differs).toList()
                : shown.settings());
    }

    @Override
    public String getPageTitle() {
        return title + " · Runway";
    }
}
