package dev.runway.training.ui;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.QueryParameters;
import com.vaadin.flow.router.RouterLink;
import dev.runway.project.Project;
import dev.runway.project.ui.ProjectSection;
import dev.runway.training.Run;
import dev.runway.training.RunService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;

/** The runs part of a project's page: how many there are, and the project's runs list, where they are compared. */
@ApplicationScoped
public class ProjectRunsSection implements ProjectSection {

    @Inject
    RunService runs;

    @Override
    public int order() {
        return 20;
    }

    @Override
    public Component create(Project project) {
        VerticalLayout section = new VerticalLayout();
        section.setPadding(false);
        section.add(new H3("Runs"));
        List<Run> list = runs.list(new RunService.Filter(project.getId(), null, null));
        if (list.isEmpty()) {
            section.add(new Paragraph("No runs yet: start one on the Runs page."));
            return section;
        }
        RouterLink link = new RouterLink("Open this project's " + (list.size() == 1 ? "run" : list.size()
                + (list.size() >= 500 ? "+" : "") + " runs") + " (tick several to compare them)", RunsView.class);
        link.setQueryParameters(new QueryParameters(Map.of(RunsView.PROJECT, List.of(project.getId().toString()))));
        link.setId("project-runs");
        section.add(link);
        return section;
    }
}
