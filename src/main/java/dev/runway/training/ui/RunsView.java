package dev.runway.training.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.router.RouteParameters;
import dev.runway.base.ui.EmptyState;
import dev.runway.base.ui.Formats;
import dev.runway.base.ui.LiveUpdates;
import dev.runway.base.ui.Messages;
import dev.runway.base.ui.PageHeader;
import dev.runway.dataset.DatasetService;
import dev.runway.project.Project;
import dev.runway.project.ProjectService;
import dev.runway.tenancy.Access;
import dev.runway.tenancy.Permission;
import dev.runway.tenancy.RequiresPermission;
import dev.runway.training.Run;
import dev.runway.training.RunComparison;
import dev.runway.training.AutoRuns;
import dev.runway.training.RunService;
import dev.runway.training.ScheduleService;
import dev.runway.training.engine.Template;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;

@Route("runs")
@PageTitle("Runs · Runway")
@RequiresPermission(Permission.READ)
public class RunsView extends VerticalLayout implements BeforeEnterObserver {

    /** The query parameter that opens the list filtered to one project ({@code runs?project=7}). */
    static final String PROJECT = "project";

    private final RunService runs;
    private final Select<Project> project = new Select<>();
    private final List<Project> projectItems;
    private final Select<Run.Status> status = new Select<>();
    private final Select<Run.Kind> kind = new Select<>();
    private final Grid<Run> grid = new Grid<>(Run.class, false);
    private final EmptyState empty;
    private final SchedulesPanel schedulesPanel;

    @Inject
    public RunsView(RunService runs, ScheduleService schedules, DatasetService datasets, ProjectService projects,
            Access access, LiveUpdates live, AutoRuns auto) {
        this.runs = runs;
        setSizeFull();
        boolean canRun = access.can(Permission.MANAGE_PROJECTS);
        schedulesPanel = new SchedulesPanel(schedules, canRun);
        Button start = new Button("New run", VaadinIcon.PLAY.create(),
                e -> new NewRunDialog(runs, schedules, datasets, auto, run -> open(run.getId()),
                        sweepId -> getUI().ifPresent(ui -> ui.navigate("sweeps/" + sweepId)),
                        schedulesPanel::refresh).open());
        start.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        start.setVisible(canRun);
        Button compare = new Button("Compare", VaadinIcon.SPLIT_H.create(), e -> compare());
        compare.setId("compare-runs");
        compare.setEnabled(false);
        add(new PageHeader("Runs", compare, start));

        // Runs of one project (its own runs to compare) or of all the company's projects.
        project.setEmptySelectionAllowed(true);
        project.setEmptySelectionCaption("All projects");
        project.setItemLabelGenerator(p -> p == null ? "All projects" : p.getName());
        projectItems = projects.list(null, false, ProjectService.Sort.NAME);
        project.setItems(projectItems);
        project.setAriaLabel("Project");
        project.addValueChangeListener(e -> refresh());
        status.setPlaceholder("Any status");
        status.setItems(Run.Status.values());
        status.setEmptySelectionAllowed(true);
        status.setEmptySelectionCaption("Any status");
        status.setItemLabelGenerator(s -> s == null ? "Any status" : s.name().toLowerCase());
        status.addValueChangeListener(e -> refresh());
        kind.setItems(Run.Kind.values());
        kind.setEmptySelectionAllowed(true);
        kind.setEmptySelectionCaption("Training and evaluation");
        kind.setItemLabelGenerator(k -> k == null ? "Training and evaluation" : k == Run.Kind.TRAIN ? "Training"
                : "Evaluation");
        kind.addValueChangeListener(e -> refresh());
        HorizontalLayout filters = new HorizontalLayout(project, status, kind);
        filters.setWrap(true);
        add(filters);

        grid.setSelectionMode(Grid.SelectionMode.MULTI);
        grid.addSelectionListener(e -> {
            int n = e.getAllSelectedItems().size();
            compare.setEnabled(n >= RunComparison.MIN_RUNS && n <= RunComparison.MAX_RUNS);
            compare.setText(n >= RunComparison.MIN_RUNS ? "Compare " + n : "Compare");
        });
        grid.addColumn(Run::getId).setHeader("Run").setAutoWidth(true);
        grid.addColumn(r -> r.getKind() == Run.Kind.TRAIN ? "Training" : "Evaluation").setHeader("Kind")
                .setAutoWidth(true);
        grid.addColumn(r -> Template.labelOf(r.getTemplate())).setHeader("Template").setFlexGrow(2);
        grid.addComponentColumn(RunBadges::status).setHeader("Status").setAutoWidth(true);
        grid.addColumn(r -> r.getStatus() == Run.Status.RUNNING ? Math.round(r.progress() * 100) + " %" : "")
                .setHeader("Progress").setAutoWidth(true);
        grid.addColumn(r -> Formats.dateTime(r.getCreatedAt())).setHeader("Submitted").setAutoWidth(true);
        grid.addColumn(r -> r.getDeviceUsed() == null ? "" : r.getDeviceUsed()).setHeader("Device")
                .setAutoWidth(true);
        grid.addItemClickListener(e -> {
            // A click on a row opens the run; a click on its checkbox only selects it.
            if (e.getColumn() != null) {
                open(e.getItem().getId());
            }
        });
        grid.setSizeFull();

        empty = new EmptyState("No runs yet", "A run trains a model on a dataset version in the background, with "
                + "live progress, and registers the result as a model version."
                + (canRun ? " Start one with New run." : ""));
        add(empty, grid, schedulesPanel);
        refresh();
        live.follow(this, Duration.ofSeconds(2), () -> {
            refresh();
            return true;
        });
    }

    private void refresh() {
        Project p = project.getValue();
        List<Run> list = runs.list(new RunService.Filter(p == null ? null : p.getId(), status.getValue(),
                kind.getValue()));
        // The live refresh must keep what the user ticked: re-select the same runs among the new rows.
        List<Long> selected = grid.getSelectedItems().stream().map(Run::getId).toList();
        grid.setItems(list);
        list.stream().filter(r -> selected.contains(r.getId())).forEach(grid::select);
        boolean none = list.isEmpty() && status.isEmpty() && kind.isEmpty() && project.isEmpty();
        empty.setVisible(none);
        grid.setVisible(!none);
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        event.getLocation().getQueryParameters().getParameters().getOrDefault(PROJECT, List.of()).stream()
                .filter(s -> s.matches("\\d{1,18}")).map(Long::parseLong).findFirst()
                .flatMap(id -> projectItems.stream().filter(p -> p.getId().equals(id)).findFirst())
                .ifPresent(project::setValue);
    }

    /** Opens the comparison of the ticked runs, in the order they were started, oldest first (the baseline). */
    private void compare() {
        List<Long> ids = grid.getSelectedItems().stream().sorted(Comparator.comparing(Run::getId)).map(Run::getId)
                .toList();
        if (ids.size() < RunComparison.MIN_RUNS || ids.size() > RunComparison.MAX_RUNS) {
            Messages.error("Select " + RunComparison.MIN_RUNS + " to " + RunComparison.MAX_RUNS + " runs to compare");
            return;
        }
        getUI().ifPresent(ui -> ui.navigate(RunCompareView.class, RouteParameters.empty(),
                RunCompareView.query(ids, ids.get(0))));
    }

    private void open(long runId) {
        getUI().ifPresent(ui -> ui.navigate(RunView.class, new RouteParameters("id", Long.toString(runId))));
    }
}
