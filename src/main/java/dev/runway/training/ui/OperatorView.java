package dev.runway.training.ui;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.grid.ColumnTextAlign;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.FlexLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.data.value.ValueChangeMode;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import dev.runway.base.ui.Figure;
import dev.runway.base.ui.Formats;
import dev.runway.base.ui.LiveUpdates;
import dev.runway.base.ui.PageHeader;
import dev.runway.base.Money;
import dev.runway.tenancy.OperatorOnly;
import dev.runway.training.Cluster;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * The platform operator's page: every executor node, the queue of each pool and every company, refreshed every few
 * seconds (companies every 30 s) from the database (so it shows all nodes, whichever console node serves it). Not a page of any company:
 * to everyone but the operators named in {@code runway.operators} the address does not exist.
 */
@Route("operator")
@PageTitle("Operator · Runway")
@OperatorOnly
public class OperatorView extends VerticalLayout {

    static final Duration REFRESH = Duration.ofSeconds(3);
    /** Companies are read on every this many refreshes (30 s): their figures take the most reading. */
    static final int COMPANIES_EVERY = 10;
    private static final int MANY_COMPANIES = 20;
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

    private final Cluster cluster;
    private final FlexLayout figures = new FlexLayout();
    private final Span updated = new Span();
    private final Grid<Cluster.Node> nodes = new Grid<>();
    private final Paragraph noNodes = new Paragraph("No executor node has reported yet. Each node writes its row on "
            + "every heartbeat once it runs an executor.");
    private final Grid<Cluster.PoolQueue> queue = new Grid<>();
    private final Paragraph noQueue = new Paragraph("No run is queued or running, and no node serves a pool.");
    private final Grid<Cluster.Company> companies = new Grid<>();
    private final TextField companySearch = new TextField();
    private List<Cluster.Company> companyRows = List.of();
    private int ticks;

    @Inject
    public OperatorView(Cluster cluster, LiveUpdates live) {
        this.cluster = cluster;
        addClassName("operator-view");
        setWidthFull();
        updated.addClassName("operator-updated");
        add(new PageHeader("Operator", updated));
        figures.addClassName("cards");
        figures.setFlexWrap(FlexLayout.FlexWrap.WRAP);
        add(figures);

        nodesGrid();
        queueGrid();
        companiesGrid();
        add(section("Nodes", "operator-nodes"), noNodes, nodes);
        add(section("Queue by pool", "operator-queue"), noQueue, queue);
        add(section("Companies", "operator-companies"), companySearch, companies);

        live.follow(this, REFRESH, () -> {
            refresh();
            return true;
        });
        refresh();
    }

    private void refresh() {
        boolean withCompanies = ticks++ % COMPANIES_EVERY == 0;
        Cluster.Snapshot now = cluster.snapshot(withCompanies);
        if (withCompanies) {
            companyRows = now.companies();
            showCompanies();
        }
        long gone = now.nodes().stream().filter(Cluster.Node::gone).count();
        long queued = now.queue().stream().mapToLong(Cluster.PoolQueue::queued).sum();
        long running = now.queue().stream().mapToLong(Cluster.PoolQueue::running).sum();
        figures.removeAll();
        figures.add(Figure.large("Live nodes", Formats.count(now.nodes().size() - gone)),
                Figure.large("Nodes gone", Formats.count(gone)),
                Figure.large("Runs queued", Formats.count(queued)),
                Figure.large("Runs running", Formats.count(running)),
                Figure.large("Companies", Formats.count(companyRows.size())));
        updated.setText("Updated " + CLOCK.format(now.at().atZone(Formats.zone())) + " · every "
                + REFRESH.toSeconds() + " s");
        nodes.setItems(now.nodes());
        nodes.setVisible(!now.nodes().isEmpty());
        noNodes.setVisible(now.nodes().isEmpty());
        queue.setItems(now.queue());
        queue.setVisible(!now.queue().isEmpty());
        noQueue.setVisible(now.queue().isEmpty());
    }

    /** The companies whose name contains the search text (any case), all when it is empty. */
    private void showCompanies() {
        String search = companySearch.getValue().strip().toLowerCase(Locale.ROOT);
        List<Cluster.Company> shown = search.isEmpty() ? companyRows : companyRows.stream()
                .filter(c -> c.name().toLowerCase(Locale.ROOT).contains(search)).toList();
        companies.setItems(shown);
        // A long list scrolls inside its grid (rendered lazily, so only the rows in view are on the page) rather than
        // putting every company on the page: the search finds one among a thousand.
        companies.setAllRowsVisible(shown.size() <= MANY_COMPANIES);
        companies.setHeight(shown.size() <= MANY_COMPANIES ? null : "32em");
    }

    private void nodesGrid() {
        nodes.addClassName("operator-nodes");
        nodes.addColumn(Cluster.Node::name).setHeader("Node").setWidth("12em").setFlexGrow(1)
                .setComparator(Cluster.Node::name);
        nodes.addColumn(Cluster.Node::role).setHeader("Role").setAutoWidth(true).setFlexGrow(0);
        nodes.addColumn(Cluster.Node::pool).setHeader("Pool").setWidth("8em").setFlexGrow(0)
                .setComparator(Cluster.Node::pool);
        nodes.addColumn(n -> String.join(", ", n.serves())).setHeader("Serves").setAutoWidth(true).setFlexGrow(0);
        nodes.addColumn(n -> n.executes() ? n.busy() + " / " + n.slots() : "none").setHeader("Slots busy")
                .setAutoWidth(true).setFlexGrow(0).setTextAlign(ColumnTextAlign.END);
        nodes.addColumn(Cluster.Node::gpus).setHeader("GPUs").setAutoWidth(true).setFlexGrow(0)
                .setTextAlign(ColumnTextAlign.END);
        nodes.addColumn(n -> ago(n.heartbeatAge())).setHeader("Heartbeat").setWidth("9em").setFlexGrow(0)
                .setComparator(Cluster.Node::heartbeatAge);
        nodes.addComponentColumn(OperatorView::state).setHeader("State").setAutoWidth(true).setFlexGrow(0);
        // How long it has been up, shorter than a date and what an operator asks (did it just restart?).
        nodes.addColumn(n -> span(Duration.between(n.startedAt(), n.heartbeatAt()))).setHeader("Up")
                .setAutoWidth(true).setFlexGrow(0);
        table(nodes);
    }

    private void queueGrid() {
        queue.addClassName("operator-queue");
        queue.addColumn(Cluster.PoolQueue::pool).setHeader("Pool").setAutoWidth(true).setFlexGrow(1);
        queue.addColumn(Cluster.PoolQueue::queued).setHeader("Queued").setAutoWidth(true).setFlexGrow(0)
                .setTextAlign(ColumnTextAlign.END);
        queue.addColumn(Cluster.PoolQueue::running).setHeader("Running").setAutoWidth(true).setFlexGrow(0)
                .setTextAlign(ColumnTextAlign.END);
        queue.addColumn(q -> q.oldestQueued() == null ? "" : ago(q.oldestQueued())).setHeader("Oldest waiting")
                .setAutoWidth(true).setFlexGrow(0);
        queue.addColumn(Cluster.PoolQueue::nodes).setHeader("Live nodes").setAutoWidth(true).setFlexGrow(0)
                .setTextAlign(ColumnTextAlign.END);
        queue.addColumn(q -> q.busy() + " / " + q.slots()).setHeader("Slots busy").setAutoWidth(true)
                .setFlexGrow(0).setTextAlign(ColumnTextAlign.END);
        queue.addComponentColumn(q -> q.stranded() ? badge("no live node", "badge error") : new Span())
                .setHeader("").setAutoWidth(true).setFlexGrow(0);
        table(queue);
    }

    private void companiesGrid() {
        companySearch.addClassName("operator-company-search");
        companySearch.setLabel("Find a company");
        companySearch.setPlaceholder("Name contains…");
        companySearch.setClearButtonVisible(true);
        companySearch.setValueChangeMode(ValueChangeMode.LAZY);
        companySearch.addValueChangeListener(e -> showCompanies());
        companies.addClassName("operator-companies");
        companies.addColumn(Cluster.Company::name).setHeader("Company").setWidth("14em").setFlexGrow(1)
                .setComparator(c -> c.name().toLowerCase());
        companies.addColumn(Cluster.Company::plan).setHeader("Plan").setWidth("8em").setFlexGrow(0)
                .setComparator(Cluster.Company::plan);
        companies.addColumn(c -> Money.format(c.usageThisMonth(), c.currency())).setHeader("Usage this month")
                .setWidth("12em").setFlexGrow(0).setTextAlign(ColumnTextAlign.END)
                .setComparator(Cluster.Company::usageThisMonth).setPartNameGenerator(c -> "amount");
        companies.addColumn(Cluster.Company::runningRuns).setHeader("Running").setWidth("7.5em").setFlexGrow(0)
                .setTextAlign(ColumnTextAlign.END).setComparator(Cluster.Company::runningRuns);
        companies.addColumn(Cluster.Company::queuedRuns).setHeader("Queued").setWidth("7.5em").setFlexGrow(0)
                .setTextAlign(ColumnTextAlign.END).setComparator(Cluster.Company::queuedRuns);
        companies.addColumn(Cluster.Company::members).setHeader("Members").setWidth("8.5em").setFlexGrow(0)
                .setTextAlign(ColumnTextAlign.END).setComparator(Cluster.Company::members);
        table(companies);
    }

    /** Every row shows (the page scrolls, not the grid); a grid wider than the screen scrolls sideways inside. */
    private static void table(Grid<?> grid) {
        grid.setAllRowsVisible(true);
        grid.setWidthFull();
        grid.addThemeVariants(GridVariant.LUMO_COMPACT, GridVariant.LUMO_ROW_STRIPES);
    }

    private static Component section(String title, String id) {
        H3 heading = new H3(title);
        heading.setId(id + "-title");
        return heading;
    }

    private static Span state(Cluster.Node node) {
        if (node.gone()) {
            return badge("gone", "badge error");
        }
        if (node.draining()) {
            return badge("draining", "badge contrast");
        }
        return node.executes() ? badge("live", "badge success") : badge("no executor", "badge contrast");
    }

    private static Span badge(String text, String theme) {
        Span badge = new Span(text);
        badge.getElement().getThemeList().addAll(List.of(theme.split(" ")));
        return badge;
    }

    /** "4 s ago", "12 min ago", "3 h 5 min ago", "2 d 4 h ago". */
    static String ago(Duration age) {
        return span(age) + " ago";
    }

    /** "4 s", "12 min", "3 h 5 min", "2 d 4 h". */
    static String span(Duration duration) {
        long s = Math.max(0, duration.toSeconds());
        if (s < 60) {
            return s + " s";
        }
        if (s < 3600) {
            return s / 60 + " min";
        }
        if (s < 86_400) {
            return s / 3600 + " h " + s % 3600 / 60 + " min";
        }
        return s / 86_400 + " d " + s % 86_400 / 3600 + " h";
    }
}
