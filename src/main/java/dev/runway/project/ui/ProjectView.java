package dev.runway.project.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.confirmdialog.ConfirmDialog;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.HasDynamicTitle;
import com.vaadin.flow.router.Route;
import dev.runway.base.NotFoundException;
import dev.runway.base.ui.Messages;
import dev.runway.base.ui.PageHeader;
import dev.runway.project.Project;
import dev.runway.project.ProjectService;
import dev.runway.tenancy.Access;
import dev.runway.tenancy.Permission;
import dev.runway.tenancy.RequiresPermission;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.util.Comparator;
import java.util.List;

/** One project: its description and tags; its datasets, runs and models as those features arrive. */
@Route("projects/:id")
@RequiresPermission(Permission.READ)
public class ProjectView extends VerticalLayout implements BeforeEnterObserver, HasDynamicTitle {

    private final ProjectService projects;
    private final boolean canManage;
    private final List<ProjectSection> sections;
    private Project project;

    @Inject
    public ProjectView(ProjectService projects, Access access, Instance<ProjectSection> sections) {
        this.projects = projects;
        this.canManage = access.can(Permission.MANAGE_PROJECTS);
        this.sections = sections.stream().sorted(Comparator.comparingInt(ProjectSection::order)).toList();
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        long id = event.getRouteParameters().get("id").filter(s -> s.matches("\\d{1,18}")).map(Long::parseLong)
                .orElse(-1L);
        try {
            project = projects.get(id);
        } catch (NotFoundException e) {
            event.rerouteToError(e, e.getMessage());
            return;
        }
        render();
    }

    private void render() {
        removeAll();
        Button edit = new Button("Edit", e -> new ProjectForm("Edit project", project,
                form -> projects.update(project.getId(), form), saved -> {
                    project = saved;
                    Messages.success("Project saved");
                    render();
                }).open());
        Button archive = new Button(project.isArchived() ? "Restore" : "Archive", e -> toggleArchive());
        edit.setVisible(canManage);
        archive.setVisible(canManage);
        archive.addThemeVariants(ButtonVariant.LUMO_TERTIARY);
        add(new PageHeader(project.getName(), archive, edit));
        if (project.isArchived()) {
            Span badge = new Span("Archived");
            badge.getElement().getThemeList().add("badge contrast");
            add(badge);
        }
        if (!project.getDescription().isEmpty()) {
            add(new Paragraph(project.getDescription()));
        }
        add(ProjectsView.tags(project.getTags()));
        sections.forEach(section -> add(section.create(project)));
    }

    private void toggleArchive() {
        if (project.isArchived()) {
            projects.restore(project.getId());
            project = projects.get(project.getId());
            Messages.success("Project restored");
            render();
            return;
        }
        ConfirmDialog confirm = new ConfirmDialog("Archive " + project.getName() + "?",
                "It leaves the project list and its data stays as it is. You can restore it any time.", "Archive",
                e -> {
                    projects.archive(project.getId());
                    project = projects.get(project.getId());
                    Messages.success("Project archived");
                    render();
                });
        confirm.setCancelable(true);
        confirm.open();
    }

    @Override
    public String getPageTitle() {
        return (project == null ? "Project" : project.getName()) + " · Runway";
    }
}
