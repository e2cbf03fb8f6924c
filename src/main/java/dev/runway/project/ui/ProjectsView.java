package dev.runway.project.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.checkbox.Checkbox;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.data.value.ValueChangeMode;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.router.RouteParameters;
import dev.runway.base.ui.EmptyState;
import dev.runway.base.ui.Formats;
import dev.runway.base.ui.PageHeader;
import dev.runway.project.Project;
import dev.runway.project.ProjectService;
import dev.runway.tenancy.Access;
import dev.runway.tenancy.Permission;
import dev.runway.tenancy.RequiresPermission;
import jakarta.inject.Inject;
import java.util.List;

@Route("projects")
@PageTitle("Projects · Runway")
@RequiresPermission(Permission.READ)
public class ProjectsView extends VerticalLayout {

    private final ProjectService projects;
    private final TextField search = new TextField();
    private final Select<ProjectService.Sort> sort = new Select<>();
    private final Checkbox archived = new Checkbox("Archived");
    private final Grid<Project> grid = new Grid<>(Project.class, false);
    private final EmptyState empty;
    private final boolean canManage;

    @Inject
    public ProjectsView(ProjectService projects, Access access) {
        this.projects = projects;
        this.canManage = access.can(Permission.MANAGE_PROJECTS);
        setSizeFull();

        Button create = new Button("New project", VaadinIcon.PLUS.create(), e -> openCreate());
        create.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        create.setVisible(canManage);
        add(new PageHeader("Projects", create));

        search.setPlaceholder("Search name, description, tags");
        search.setClearButtonVisible(true);
        search.setValueChangeMode(ValueChangeMode.LAZY);
        search.addValueChangeListener(e -> refresh());
        search.setWidth("320px");
        sort.setItems(ProjectService.Sort.values());
        sort.setItemLabelGenerator(s -> switch (s) {
            case NAME -> "Sort by name";
            case NEWEST -> "Newest first";
            case RECENTLY_UPDATED -> "Recently updated";
        });
        sort.setValue(ProjectService.Sort.NAME);
        sort.addValueChangeListener(e -> refresh());
        archived.addValueChangeListener(e -> refresh());
        HorizontalLayout filters = new HorizontalLayout(search, sort, archived);
        filters.setAlignItems(FlexComponent.Alignment.BASELINE);

        grid.addColumn(Project::getName).setHeader("Name").setFlexGrow(2);
        grid.addColumn(Project::getDescription).setHeader("Description").setFlexGrow(3);
        grid.addComponentColumn(p -> tags(p.getTags())).setHeader("Tags").setFlexGrow(2);
        grid.addColumn(p -> Formats.dateTime(p.getUpdatedAt())).setHeader("Updated").setAutoWidth(true);
        grid.addItemClickListener(e -> open(e.getItem()));
        grid.setSizeFull();

        Button emptyCreate = new Button("Create your first project", e -> openCreate());
        emptyCreate.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        emptyCreate.setVisible(canManage);
        empty = new EmptyState("No projects yet",
                "A project holds a model's datasets, training runs and model versions."
                        + (canManage ? " Create one to upload your first dataset." : " Ask an engineer to create one."),
                emptyCreate);
        add(filters, empty, grid);
        refresh();
    }

    static HorizontalLayout tags(List<String> tags) {
        HorizontalLayout row = new HorizontalLayout();
        row.setSpacing(false);
        row.getStyle().set("gap", "4px").set("flex-wrap", "wrap");
        tags.forEach(t -> {
            Span badge = new Span(t);
            badge.getElement().getThemeList().add("badge contrast small");
            row.add(badge);
        });
        return row;
    }

    private void openCreate() {
        new ProjectForm("New project", null, projects::create, this::open).open();
    }

    private void open(Project project) {
        getUI().ifPresent(ui -> ui.navigate(ProjectView.class, new RouteParameters("id", project.getId().toString())));
    }

    private void refresh() {
        List<Project> list = projects.list(search.getValue(), archived.getValue(), sort.getValue());
        grid.setItems(list);
        boolean nothingAtAll = list.isEmpty() && search.isEmpty() && !archived.getValue();
        empty.setVisible(nothingAtAll);
        grid.setVisible(!nothingAtAll);
    }
}
