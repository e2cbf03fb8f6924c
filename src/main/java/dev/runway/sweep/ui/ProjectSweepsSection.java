package dev.runway.sweep.ui;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.RouterLink;
import dev.runway.dataset.DatasetService;
import dev.runway.project.Project;
import dev.runway.project.ui.ProjectSection;
import dev.runway.sweep.Sweep;
import dev.runway.sweep.SweepService;
import dev.runway.tenancy.Access;
import dev.runway.tenancy.Permission;
import dev.runway.training.engine.Template;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Locale;

/** The sweeps part of a project's page: its sweeps, and "New sweep". */
@ApplicationScoped
public class ProjectSweepsSection implements ProjectSection {

    @Inject
    SweepService sweeps;

    @Inject
    DatasetService datasets;

    @Inject
    Access access;

    @Override
    public int order() {
        return 25;
    }

    @Override
    public Component create(Project project) {
        VerticalLayout section = new VerticalLayout();
        section.setPadding(false);
        Button start = new Button("New sweep", VaadinIcon.FLASK.create(), e -> new NewSweepDialog(sweeps, datasets,
                project.getId(), sweeps.currency(),
                sweep -> section.getUI().ifPresent(ui -> ui.navigate(SweepView.class, SweepView.route(sweep.getId()))))
                .open());
        start.setId("new-sweep");
        start.setVisible(access.can(Permission.MANAGE_PROJECTS));
        HorizontalLayout title = new HorizontalLayout(new H3("Sweeps"), start);
        title.setAlignItems(HorizontalLayout.Alignment.BASELINE);
        section.add(title);
        List<Sweep> list = sweeps.list(project.getId());
        if (list.isEmpty()) {
            section.add(new Paragraph("No sweeps yet: a sweep trains a template with several hyperparameter values "
                    + "within a money cap, and finds the best."));
        }
        for (Sweep s : list.stream().limit(10).toList()) {
            section.add(new RouterLink((s.isAuto() ? "Auto " : "Sweep ") + s.getId() + " · " + Template.labelOf(s.getTemplate()) + " · "
                    + s.getMethod().name().toLowerCase(Locale.ROOT) + " · " + s.getMaxTrials() + " trials · "
                    + s.getStatus().name().toLowerCase(Locale.ROOT), SweepView.class, SweepView.route(s.getId())));
        }
        return section;
    }
}
