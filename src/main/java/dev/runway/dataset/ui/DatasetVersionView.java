package dev.runway.dataset.ui;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.FlexLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
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
import dev.runway.dataset.ColumnProfile;
import dev.runway.dataset.CsvProfile;
import dev.runway.dataset.Dataset;
import dev.runway.dataset.DatasetService;
import dev.runway.dataset.DatasetVersion;
import dev.runway.dataset.Preparation;
import dev.runway.tenancy.Access;
import dev.runway.tenancy.Actor;
import dev.runway.tenancy.Permission;
import dev.runway.tenancy.RequiresPermission;
import dev.runway.tenancy.TenantContext;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;

/** One version of a dataset: its facts, column profile with pictures, preparation settings and preview. */
@Route("datasets/versions/:id")
@RequiresPermission(Permission.READ)
public class DatasetVersionView extends VerticalLayout implements BeforeEnterObserver, HasDynamicTitle {

    private final DatasetService datasets;
    private final boolean canManage;
    private String title = "Dataset";

    @Inject
    public DatasetVersionView(DatasetService datasets, Access access) {
        this.datasets = datasets;
        this.canManage = access.can(Permission.MANAGE_PROJECTS);
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
                Figure.small("Columns", Integer.toString(version.getColumnCount())),
                Figure.small("Size", Formats.bytes(version.getSizeBytes())),
                Figure.small("Delimiter", version.delimiter() == '\t' ? "tab" : String.valueOf(version.delimiter())),
                Figure.small("File", version.getOriginalFilename()),
                Figure.small("SHA-256", version.getSha256().substring(0, 16) + "…"));
        facts.addClassName("cards");
        facts.setFlexWrap(FlexLayout.FlexWrap.WRAP);
        add(facts);

        add(new H3("Columns"), profileGrid(profile));
        Preparation preparation = datasets.preparation(version.getId()).orElse(null);
        add(new H3("Preparation for training"));
        if (canManage) {
            add(new PreparationForm(datasets, version.getId(), profile, preparation, () -> render(version)));
        } else {
            add(new Paragraph(preparation == null ? "Not set yet: an engineer sets it before training."
                    : PreparationForm.describe(preparation)));
        }
        add(new H3("Distributions"), charts(profile, preparation));
        add(new H3("Preview"), preview(version));
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
        grid.setItems(profile.columns());
        grid.addThemeVariants(GridVariant.LUMO_COMPACT, GridVariant.LUMO_ROW_STRIPES);
        grid.setAllRowsVisible(profile.columns().size() <= 20);
        grid.setHeight(profile.columns().size() <= 20 ? null : "480px");
        return grid;
    }

    private static String topValues(ColumnProfile c) {
        if (c.isNumeric() || c.topValues().isEmpty()) {
            return "";
        }
        return c.topValues().stream().limit(5).map(v -> v.value() + " (" + Formats.count(v.count()) + ")")
                .collect(Collectors.joining(", "));
    }

    /** A histogram per numeric column (first 12) and the class balance of the target. */
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
        profile.columns().stream().filter(ColumnProfile::isNumeric).limit(12).forEach(c -> charts.add(
                SvgChart.component(SvgChart.bars(c.name() + (c.histogramSampled() ? " (sample of "
                                + Formats.count(10_000) + " rows)" : ""), "rows",
                        List.of(new SvgChart.Series(c.name(), c.histogram().stream()
                                .map(b -> new SvgChart.Point(Formats.number(b.from()), (double) b.count()))
                                .toList())), 440, 260))));
        if (charts.getComponentCount() == 0) {
            return new Paragraph("No numeric columns to draw.");
        }
        return charts;
    }

    private Component preview(DatasetVersion version) {
        DatasetService.Preview preview = datasets.preview(version.getId());
        if (preview.hidden()) {
            return new EmptyState("Preview switched off", preview.hiddenReason());
        }
        Grid<List<String>> grid = new Grid<>();
        for (int i = 0; i < preview.columns().size(); i++) {
            int index = i;
            grid.addColumn(row -> row.get(index)).setHeader(preview.columns().get(i)).setAutoWidth(true)
                    .setResizable(true);
        }
        grid.setItems(preview.rows());
        grid.addThemeVariants(GridVariant.LUMO_COMPACT);
        grid.setHeight("360px");
        Actor actor = TenantContext.current().orElseThrow();
        long id = version.getId();
        Anchor export = Download.link("Export preview as CSV", "preview-" + title.replace(' ', '-') + ".csv",
                "text/csv", () -> TenantContext.runAs(actor, () -> datasets.previewCsv(id))
                        .getBytes(StandardCharsets.UTF_8));
        Div box = new Div(new Span("First " + preview.rows().size() + " rows · "), export);
        VerticalLayout layout = new VerticalLayout(box, grid);
        layout.setPadding(false);
        return layout;
    }

    @Override
    public String getPageTitle() {
        return title + " · Runway";
    }
}
