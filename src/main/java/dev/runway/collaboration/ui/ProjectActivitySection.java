package dev.runway.collaboration.ui;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import dev.runway.collaboration.ActivityService;
import dev.runway.collaboration.ActivityService.Filter;
import dev.runway.collaboration.LiveBus;
import dev.runway.project.Project;
import dev.runway.project.ui.ProjectSection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** The project page's activity: the project's own feed, live, at the bottom of the page. */
@ApplicationScoped
public class ProjectActivitySection implements ProjectSection {

    @Inject
    ActivityService activity;

    @Inject
    LiveBus bus;

    @Override
    public int order() {
        return 1000;
    }

    @Override
    public Component create(Project project) {
        VerticalLayout section = new VerticalLayout(new H3("Activity"),
                new ActivityFeed(activity, bus, new Filter(project.getId(), null), 15, true));
        section.setPadding(false);
        section.addClassName("project-activity");
        return section;
    }
}
