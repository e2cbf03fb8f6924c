package dev.runway.dataset.ui;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.FlexLayout;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.data.renderer.ComponentRenderer;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.HasDynamicTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.router.RouteParameters;
import dev.runway.base.NotFoundException;
import dev.runway.base.ui.Download;
import dev.runway.base.ui.EmptyState;
import dev.runway.base.ui.Figure;
import dev.runway.base.ui.Formats;
import dev.runway.base.ui.PageHeader;
import dev.runway.base.ui.SvgChart;
import dev.runway.collaboration.CommentService;
import dev.runway.collaboration.CommentSubject;
import dev.runway.collaboration.ui.CommentsPanel;
import dev.runway.dataset.ColumnProfile;
import dev.runway.dataset.CsvProfile;
import dev.runway.dataset.Dataset;
import dev.runway.dataset.DatasetService;
import dev.runway.dataset.DatasetVersion;
import dev.runway.dataset.Lineage;
import dev.runway.dataset.Preparation;
import dev.runway.tenancy.Access;
import dev.runway.tenancy.Actor;
import dev.runway.tenancy.Permission;
import dev.runway.tenancy.RequiresPermission;
import dev.runway.tenancy.TenantContext;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One version of a dataset: its facts and a summary, the column profile, preparation settings, pictures and preview.
 * A file may have thousands of columns, so nothing here is built per column: the profile is a lazily fetched grid
 * whose rows draw their histogram only when opened, a dozen distributions are drawn, and the preview shows its columns
 * a page at a time.
 */
@Route("datasets/versions/:id")
@RequiresPermission(Permission.READ)
public class DatasetVersionView extends VerticalLayout implements BeforeEnterObserver, HasDynamicTitle {

    /** Preview columns shown at a time: a browser grid with thousands of columns takes seconds to draw. */
    static final int PREVIEW_COLUMNS = 50;

    private final DatasetService datasets;
    private final boolean canManage;
    private final CommentsPanel comments;
    private String title = "Dataset";

    /** The runs trained on the version and their model versions, answered by the model registry. */
    @Inject
    Lineage lineage;

    @Inject
    public DatasetVersionView(DatasetService datasets, Access access, CommentService commentService) {
        this.datasets = datasets;
        this.canManage = access.can(Permission.MANAGE_PROJECTS);
        this.comments = new CommentsPanel(commentService);
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        long id = event.getRouteParameters().get("id").filter(s -> s.matches("\\d{1,18}")).map(Long::parseLong)
                .orElse(-1L);
        try {
            render(datasets.version(id));
        } catch (NotFoundException e) {
            event.rerouteToError(e, e.getMessage());
        }
    }

    private void render(DatasetVersion version) {
        removeAll();
        Dataset dataset = datasets.dataset(version.getDatasetId());
        CsvProfile profile = datasets.profile(version.getId());
        title = dataset.getName() + " v" + version.getVersion();

        Select<DatasetVersion> versions = new Select<>();
        versions.setAriaLabel("Version");
        versions.setItemLabelGenerator(v -> "v" + v.getVersion() + " · " + Formats.dateTime(v.getUploadedAt()));
        List<DatasetVersion> all = datasets.versions(dataset.getId());
        versions.setItems(all);
        all.stream().filter(v -> v.getId().equals(version.getId())).findFirst().ifPresent(versions::setValue);
        versions.addValueChangeListener(e -> {
            if (e.isFromClient() && e.getValue() != null) {
                getUI().ifPresent(ui -> ui.navigate(DatasetVersionView.class,
                        new RouteParameters("id", e.getValue().getId().toString())));
            }
        });
        add(new PageHeader(dataset.getName(), versions));

        FlexLayout facts = new FlexLayout(
                Figure.small("Rows", Formats.count(version.getRowCount())),
                Figure.small("Columns", Formats.count(version.getColumnCount())),
                Figure.small("Size", Formats.bytes(version.getSizeBytes())),
                Figure.small("Delimiter", version.delimiter() == '\t' ? "tab" : String.valueOf(version.delimiter())),
                Figure.small("Decimal separator", profile.decimalSeparator() == ',' ? "comma" : "point"),
                Figure.small("File", version.getOriginalFilename()),
                Figure.small("SHA-256", version.getSha256().substring(0, 16) + "…"));
        facts.addClassName("cards");
        facts.setFlexWrap(FlexLayout.FlexWrap.WRAP);
        add(facts, summary(profile));

        add(new H3("Columns"), profileGrid(profile));
        Preparation preparation = datasets.preparation(version.getId()).orElse(null);
        add(new H3("Preparation for training"));
        if (canManage) {
            add(new PreparationForm(datasets, version.getId(), profile, preparation, () -> render(version)));
        } else {
            add(new Paragraph(preparation == null ? "Not set yet: an engineer sets it before training."
                    : PreparationForm.describe(preparation)));
        }
        add(new H3("Runs trained on this version"), trainedOn(version.getId()));
        add(new H3("Distributions"), charts(profile, preparation));
        add(new H3("Preview"), preview(version, profile));
        add(comments.show(CommentSubject.Type.DATASET_VERSION, version.getId()));
    }

    /** Lineage, clickable: each run trained on the version, and the model version it registered. */
    private Component trainedOn(long versionId) {
        List<Lineage.Trained> trained = lineage.trainedOn(versionId);
        Div list = new Div();
        list.setId("dataset-lineage");
        if (trained.isEmpty()) {
            list.add(new Paragraph("No run has trained on this version yet."));
            return list;
        }
        for (Lineage.Trained t : trained) {
            Div line = new Div(link(t.run()), new Span(" · " + t.description()));
            t.model().ifPresent(m -> line.add(new Span(" → "), link(m)));
            line.addClassName("lineage-line");
            list.add(line);
        }
        return list;
    }

    private static Anchor link(Lineage.Link link) {
        Anchor anchor = new Anchor(link.href(), link.label());
        anchor.getElement().setAttribute("router-link", true);
        return anchor;
    }

    /** Column types, missing cells and what was accepted but is worth knowing, in a few lines. */
    private static Component summary(CsvProfile profile) {
        Map<ColumnProfile.ColumnType, Long> types = profile.columns().stream()
                .collect(Collectors.groupingBy(ColumnProfile::type, () -> new EnumMap<>(ColumnProfile.ColumnType.class),
                        Collectors.counting()));
        long missing = profile.columns().stream().mapToLong(ColumnProfile::missing).sum();
        long cells = profile.rows() * profile.columns().size();
        Div summary = new Div(new Paragraph(Formats.count(profile.rows()) + " rows × "
                + Formats.count(profile.columns().size()) + " columns: " + types.entrySet().stream()
                        .map(e -> Formats.count(e.getValue()) + " " + e.getKey().name().toLowerCase(Locale.ROOT))
                        .collect(Collectors.joining(", ")) + ". " + Formats.count(missing) + " missing cells"
                + (missing == 0 ? "" : " (" + percent(missing, cells) + ")") + "."));
        for (String warning : profile.warnings()) {
            Paragraph line = new Paragraph(warning);
            line.addClassName("dataset-warning");
            summary.add(line);
        }
        summary.addClassName("dataset-summary");
        return summary;
    }

    private static String percent(long part, long whole) {
        return String.format(Locale.ENGLISH, "%.1f %%", 100.0 * part / whole);
    }

    private Grid<ColumnProfile> profileGrid(CsvProfile profile) {
        Grid<ColumnProfile> grid = new Grid<>(ColumnProfile.class, false);
        grid.addColumn(ColumnProfile::name).setHeader("Column").setFrozen(true).setAutoWidth(true);
        grid.addColumn(c -> c.type().name().toLowerCase()).setHeader("Type").setAutoWidth(true);
        grid.addColumn(c -> Formats.count(c.missing())).setHeader("Missing").setAutoWidth(true);
        grid.addColumn(c -> Formats.number(c.min())).setHeader("Min").setAutoWidth(true);
        grid.addColumn(c -> Formats.number(c.max())).setHeader("Max").setAutoWidth(true);
        grid.addColumn(c -> Formats.number(c.mean())).setHeader("Mean").setAutoWidth(true);
        grid.addColumn(c -> c.distinctCapped() ? "> " + Formats.count(c.distinct()) : Formats.count(c.distinct()))
                .setHeader("Distinct").setAutoWidth(true);
        grid.addColumn(DatasetVersionView::topValues).setHeader("Top values").setFlexGrow(1);
        grid.addColumn(c -> c.invalidNumbers() == 0 ? "" : Formats.count(c.invalidNumbers()) + " infinite (line "
                + c.firstInvalidLine() + ")").setHeader("Invalid numbers").setAutoWidth(true);
        // The grid fetches the rows it shows as the user scrolls; a row's histogram is drawn when it is opened.
        grid.setItems(query -> profile.columns().stream().skip(query.getOffset()).limit(query.getLimit()),
                query -> profile.columns().size());
        grid.setItemDetailsRenderer(new ComponentRenderer<>(DatasetVersionView::columnDetails));
        grid.addThemeVariants(GridVariant.LUMO_COMPACT, GridVariant.LUMO_ROW_STRIPES);
        grid.setAllRowsVisible(profile.columns().size() <= 20);
        grid.setHeight(profile.columns().size() <= 20 ? null : "480px");
        return grid;
    }

    private static Component columnDetails(ColumnProfile c) {
        if (c.isNumeric() && !c.histogram().isEmpty()) {
            return histogram(c);
        }
        if (!c.topValues().isEmpty()) {
            return SvgChart.component(SvgChart.bars("Most frequent values of " + c.name(), "rows",
                    List.of(new SvgChart.Series("rows", c.topValues().stream().limit(20)
                            .map(v -> new SvgChart.Point(v.value(), (double) v.count())).toList())), 440, 260));
        }
        return new Span("No chart: more than " + Formats.count(c.distinct()) + " different values.");
    }

    private static Component histogram(ColumnProfile c) {
        return SvgChart.component(SvgChart.bars(c.name() + (c.histogramSampled() ? " (sample of "
                        + Formats.count(10_000) + " rows)" : ""), "rows",
                List.of(new SvgChart.Series(c.name(), c.histogram().stream()
                        .map(b -> new SvgChart.Point(Formats.number(b.from()), (double) b.count()))
                        .toList())), 440, 260));
    }

    private static String topValues(ColumnProfile c) {
        if (c.isNumeric() || c.topValues().isEmpty()) {
            return "";
        }
        return c.topValues().stream().limit(5).map(v -> v.value() + " (" + Formats.count(v.count()) + ")")
                .collect(Collectors.joining(", "));
    }

    /** A histogram per numeric column (first 12; the others open from the columns grid) and the class balance. */
    private Component charts(CsvProfile profile, Preparation preparation) {
        FlexLayout charts = new FlexLayout();
        charts.setFlexWrap(FlexLayout.FlexWrap.WRAP);
        charts.getStyle().set("gap", "var(--lumo-space-m)");
        if (preparation != null && preparation.task() != Preparation.TaskType.REGRESSION) {
            profile.column(preparation.target()).ifPresent(target -> charts.add(SvgChart.component(SvgChart.bars(
                    "Class balance of " + target.name(), "rows", List.of(new SvgChart.Series("rows",
                            target.topValues().stream().map(v -> new SvgChart.Point(v.value(), (double) v.count()))
                                    .toList())), 440, 260))));
        }
        profile.columns().stream().filter(ColumnProfile::isNumeric).limit(12).forEach(c -> charts.add(histogram(c)));
        if (charts.getComponentCount() == 0) {
            return new Paragraph("No numeric columns to draw.");
        }
        return charts;
    }

    private Component preview(DatasetVersion version, CsvProfile profile) {
        DatasetService.Preview preview = datasets.preview(version.getId(), profile);
        if (preview.hidden()) {
            return new EmptyState("Preview switched off", preview.hiddenReason());
        }
        Grid<List<String>> grid = new Grid<>();
        grid.setItems(preview.rows());
        grid.addThemeVariants(GridVariant.LUMO_COMPACT);
        grid.setHeight("360px");
        int columns = preview.columns().size();
        Span shown = new Span();
        Button previous = new Button("Previous columns");
        Button next = new Button("Next columns");
        int[] first = {0};
        Runnable page = () -> {
            int to = Math.min(columns, first[0] + PREVIEW_COLUMNS);
            grid.removeAllColumns();
            for (int i = first[0]; i < to; i++) {
                int index = i;
                grid.addColumn(row -> row.get(index)).setHeader(preview.columns().get(i)).setAutoWidth(true)
                        .setResizable(true);
            }
            shown.setText("Columns " + Formats.count(first[0] + 1) + "–" + Formats.count(to) + " of "
                    + Formats.count(columns));
            previous.setEnabled(first[0] > 0);
            next.setEnabled(to < columns);
        };
        previous.addClickListener(e -> {
            first[0] = Math.max(0, first[0] - PREVIEW_COLUMNS);
            page.run();
        });
        next.addClickListener(e -> {
            first[0] += PREVIEW_COLUMNS;
            page.run();
        });
        page.run();
        Actor actor = TenantContext.current().orElseThrow();
        long id = version.getId();
        Anchor export = Download.link("Export preview as CSV", "preview-" + title.replace(' ', '-') + ".csv",
                "text/csv", () -> TenantContext.runAs(actor, () -> datasets.previewCsv(id))
                        .getBytes(StandardCharsets.UTF_8));
        Div box = new Div(new Span("First " + preview.rows().size() + " rows · "), export);
        VerticalLayout layout = new VerticalLayout(box, grid);
        if (columns > PREVIEW_COLUMNS) {
            HorizontalLayout pager = new HorizontalLayout(previous, shown, next);
            pager.setAlignItems(FlexComponent.Alignment.BASELINE);
            pager.setWrap(true);
            shown.getStyle().set("white-space", "nowrap");
            layout.addComponentAtIndex(1, pager);
        }
        layout.setPadding(false);
        return layout;
    }

    @Override
    public String getPageTitle() {
        return title + " · Runway";
    }
}
