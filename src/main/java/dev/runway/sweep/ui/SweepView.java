package dev.runway.sweep.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridSortOrder;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.FlexLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.HasDynamicTitle;
import com.vaadin.flow.router.QueryParameters;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.router.RouteParameters;
import com.vaadin.flow.shared.Registration;
import dev.runway.base.NotFoundException;
import dev.runway.base.ui.LiveUpdates;
import dev.runway.base.ui.Messages;
import dev.runway.base.ui.PageHeader;
import dev.runway.base.ui.SvgChart;
import dev.runway.model.ModelService;
import dev.runway.sweep.Sweep;
import dev.runway.sweep.SweepService;
import dev.runway.sweep.SweepService.TrialView;
import dev.runway.tenancy.Access;
import dev.runway.tenancy.Permission;
import dev.runway.tenancy.RequiresPermission;
import dev.runway.training.engine.Template;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * One sweep, live: its trials (sortable, the best marked), spent / estimated / cap, the objective against each swept
 * parameter, registering the best trial's model as "candidate", and the trials in the comparison view.
 */
@Route("sweeps/:id")
@RequiresPermission(Permission.READ)
public class SweepView extends VerticalLayout implements BeforeEnterObserver, HasDynamicTitle {

    private final SweepService sweeps;
    private final ModelService models;
    private final LiveUpdates live;
    private final boolean canManage;
    private final Div header = new Div();
    private final Paragraph money = new Paragraph();
    /** Auto's search: what it saw in the data, what it tried, and the model it registered. */
    private final Div tried = new Div();
    private final Grid<TrialView> grid = new Grid<>();
    private final FlexLayout charts = new FlexLayout();
    private long sweepId;
    private String title = "Sweep";
    /** What was last drawn: the page redraws only when a trial or the money changed. */
    private String shown = "";
    private Long bestRun;

    public SweepView(SweepService sweeps, LiveUpdates live, Access access, ModelService models) {
        this.sweeps = sweeps;
        this.models = models;
        this.live = live;
        this.canManage = access.can(Permission.MANAGE_PROJECTS);
        header.setWidthFull();
        money.setId("sweep-money");
        tried.setId("auto-tried");
        grid.setId("sweep-trial-table");
        grid.setAllRowsVisible(true);
        grid.setSelectionMode(Grid.SelectionMode.MULTI);
        charts.setFlexWrap(FlexLayout.FlexWrap.WRAP);
        charts.getStyle().set("gap", "var(--lumo-space-m)");
        add(header, tried, money, grid, charts);
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        sweepId = event.getRouteParameters().get("id").filter(s -> s.matches("\\d{1,18}")).map(Long::parseLong)
                .orElse(-1L);
        shown = "";
        Registration following = live.follow(this, Duration.ofSeconds(1), () -> render(sweeps.details(sweepId)));
        try {
            SweepService.Details details = sweeps.details(sweepId);
            title = (details.sweep().isAuto() ? "Auto " : "Sweep ") + sweepId;
            columns(details);
            render(details);
        } catch (NotFoundException e) {
            following.remove();
            event.rerouteToError(e, e.getMessage());
        }
    }

    private void columns(SweepService.Details d) {
        grid.removeAllColumns();
        grid.addColumn(t -> t.trial().getNumber() + (Objects.equals(t.trial().getRunId(), bestRun) ? " ★" : ""))
                .setHeader("Trial").setComparator(t -> t.trial().getNumber()).setWidth("96px").setFlexGrow(0);
        grid.addColumn(t -> t.trial().getStatus().name().toLowerCase(Locale.ROOT)).setHeader("Status")
                .setComparator(t -> t.trial().getStatus().name()).setWidth("120px").setFlexGrow(0);
        for (String name : names(d)) {
            grid.addColumn(t -> show(t.parameters().get(name))).setHeader(name).setSortable(true)
                    .setComparator(Comparator.comparing(t -> String.valueOf(t.parameters().get(name)),
                            SweepView::numberFirst)).setAutoWidth(true);
        }
        grid.addColumn(t -> t.epochs() == null ? "" : t.epochs().toString()).setHeader("Epochs")
                .setComparator(t -> t.epochs() == null ? -1 : t.epochs()).setAutoWidth(true);
        var objective = grid.addColumn(t -> t.trial().getObjective() == null ? ""
                        : String.format(Locale.ROOT, "%.4f", t.trial().getObjective()))
                .setHeader(d.sweep().getObjective() == Sweep.Objective.VALIDATION_LOSS ? "Validation loss"
                        : "Validation metric")
                .setComparator(Comparator.comparing(t -> t.trial().getObjective(),
                        Comparator.nullsLast(Comparator.naturalOrder())))
                .setAutoWidth(true);
        grid.addColumn(t -> t.cost() == null ? "" : SweepService.money(t.cost(), d.sweep())).setHeader("Cost")
                .setComparator(t -> t.cost() == null ? BigDecimal.ZERO : t.cost()).setAutoWidth(true);
        grid.addColumn(t -> t.trial().getNote() == null ? "" : t.trial().getNote()).setHeader("Note")
                .setFlexGrow(3);
        grid.setPartNameGenerator(t -> Objects.equals(t.trial().getRunId(), bestRun) ? "best-trial" : null);
        grid.addItemClickListener(e -> {
            if (e.getItem().trial().getRunId() != null && e.getColumn() != null) {
                getUI().ifPresent(ui -> ui.navigate("runs/" + e.getItem().trial().getRunId()));
            }
        });
        grid.sort(List.of(new GridSortOrder<>(objective, d.higherIsBetter()
                ? com.vaadin.flow.data.provider.SortDirection.DESCENDING
                : com.vaadin.flow.data.provider.SortDirection.ASCENDING)));
    }

    /** Shows the sweep as it is now; redraws only what changed. */
    private boolean render(SweepService.Details d) {
        String state = d.sweep().getStatus() + "|" + d.sweep().getModelVersionId() + "|" + d.spent() + "|"
                + d.trials().stream()
                .map(t -> t.trial().getStatus() + ":" + t.epochs() + ":" + t.trial().getObjective())
                .collect(Collectors.joining(","));
        if (state.equals(shown)) {
            return !d.sweep().getStatus().finished();
        }
        shown = state;
        Sweep s = d.sweep();
        bestRun = d.best().map(b -> b.trial().getRunId()).orElse(null);
        header.removeAll();
        Button register = new Button("Register best as candidate", VaadinIcon.STAR.create(), e -> {
            try {
                var model = sweeps.registerBest(sweepId);
                Messages.success("Version " + model.getVersion() + " is now “candidate”");
            } catch (RuntimeException ex) {
                Messages.show(ex);
            }
        });
        register.setId("register-best");
        register.setEnabled(d.best().isPresent());
        // Auto registers its best itself once it ends.
        register.setVisible(canManage && !(s.isAuto() && s.getModelVersionId().isPresent()));
        Button compare = new Button("Compare selected", VaadinIcon.SPLIT_H.create(), e -> compare(d));
        compare.setId("compare-trials");
        Button cancel = new Button(s.isAuto() ? "Cancel Auto" : "Cancel sweep", e -> {
            try {
                sweeps.cancel(sweepId);
            } catch (RuntimeException ex) {
                Messages.show(ex);
            }
        });
        cancel.addThemeVariants(ButtonVariant.LUMO_ERROR);
        cancel.setVisible(canManage && !s.getStatus().finished());
        register.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        Span status = new Span(s.getStatus().name().toLowerCase(Locale.ROOT));
        status.getElement().getThemeList().add("badge" + switch (s.getStatus()) {
            case FINISHED -> " success";
            case CAPPED, CANCELLED -> " error";
            default -> "";
        });
        status.setId("sweep-status");
        header.add(new PageHeader((s.isAuto() ? "Auto " : "Sweep ") + s.getId() + " · "
                + Template.labelOf(s.getTemplate()), status, compare, cancel, register));
        tried.removeAll();
        s.getAutoChoice().ifPresent(choice -> tried.add(AutoTried.describe(d, choice,
                id -> "version " + models.get(id).getVersion())));
        long done = d.trials().stream().filter(t -> t.trial().getStatus().finished()).count();
        header.add(new Paragraph(s.getMethod().name().toLowerCase(Locale.ROOT) + " over " + String.join(", ",
                names(d)) + " · " + done + " of " + d.trials().size() + " trials done · " + s.getParallel()
                + " at once · objective " + s.getObjective().label()
                + (s.getStopReason() == null ? "" : " · " + s.getStopReason())));
        money.setText("Spent " + SweepService.money(d.spent(), s) + " · estimated "
                + SweepService.money(d.estimated(), s) + " · cap " + SweepService.money(s.getCapAmount(), s));
        grid.setItems(d.trials());
        charts.removeAll();
        for (String name : names(d)) {
            charts.add(SvgChart.component(SweepCharts.scatter(name, s.getObjective().label(), d.trials(), name,
                    bestRun)));
        }
        return !s.getStatus().finished();
    }

    private void compare(SweepService.Details d) {
        List<Long> ids = new ArrayList<>(grid.getSelectedItems().stream().map(t -> t.trial().getRunId())
                .filter(Objects::nonNull).toList());
        if (ids.size() < 2) {
            // Nothing ticked: the finished trials, best first, as many as the comparison shows.
            ids = d.trials().stream().filter(t -> t.trial().getRunId() != null && t.trial().getObjective() != null)
                    .sorted(Comparator.comparing(t -> d.higherIsBetter() ? -t.trial().getObjective()
                            : t.trial().getObjective()))
                    .map(t -> t.trial().getRunId()).limit(8).toList();
        }
        if (ids.size() < 2) {
            Messages.error("Two trials with results are needed to compare");
            return;
        }
        String joined = ids.stream().map(String::valueOf).collect(Collectors.joining(","));
        getUI().ifPresent(ui -> ui.navigate("runs/compare", QueryParameters.simple(java.util.Map.of("ids",
                joined))));
    }

    private static List<String> names(SweepService.Details d) {
        return d.trials().isEmpty() ? List.of() : new ArrayList<>(d.trials().get(0).parameters().keySet());
    }

    private static String show(Object value) {
        if (value instanceof Double d) {
            return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
        }
        return value == null ? "" : value instanceof List<?> l ? l.stream().map(String::valueOf)
                .collect(Collectors.joining(", ")) : String.valueOf(value);
    }

    private static int numberFirst(String a, String b) {
        try {
            return Double.compare(Double.parseDouble(a), Double.parseDouble(b));
        } catch (NumberFormatException e) {
            return a.compareTo(b);
        }
    }

    @Override
    public String getPageTitle() {
        return title;
    }

    static RouteParameters route(long id) {
        return new RouteParameters("id", Long.toString(id));
    }
}
