package dev.runway.collaboration.ui;

import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import dev.runway.collaboration.ActivityService;
import dev.runway.collaboration.ActivityService.Filter;
import dev.runway.collaboration.LiveBus;
import dev.runway.base.Happened.Kind;
import dev.runway.base.ui.PageHeader;
import dev.runway.project.Project;
import dev.runway.project.ProjectService;
import dev.runway.tenancy.Permission;
import dev.runway.tenancy.RequiresPermission;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;

/** What happened in the whole company, newest first and live, by kind and project. */
@Route("activity")
@PageTitle("Activity · Runway")
@RequiresPermission(Permission.READ)
public class ActivityView extends VerticalLayout {

    @Inject
    public ActivityView(ActivityService activity, LiveBus bus, ProjectService projects) {
        ActivityFeed feed = new ActivityFeed(activity, bus, Filter.all(), 30, true);

        Select<Kind> kind = new Select<>();
        kind.setLabel("What");
        kind.setEmptySelectionAllowed(true);
        kind.setEmptySelectionCaption("Everything");
        kind.setItems(Kind.values());
        kind.setItemLabelGenerator(k -> k == null ? "Everything" : KindLabels.label(k));

        Select<Project> project = new Select<>();
        project.setLabel("Project");
        project.setEmptySelectionAllowed(true);
        project.setEmptySelectionCaption("All projects");
        List<Project> all = new ArrayList<>(projects.list("", false, ProjectService.Sort.NAME));
        project.setItems(all);
        project.setItemLabelGenerator(p -> p == null ? "All projects" : p.getName());

        Runnable apply = () -> feed.setFilter(new Filter(project.getValue() == null ? null : project.getValue().getId(),
                kind.getValue()));
        kind.addValueChangeListener(e -> apply.run());
        project.addValueChangeListener(e -> apply.run());
        HorizontalLayout filters = new HorizontalLayout(kind, project);
        filters.setAlignItems(FlexComponent.Alignment.BASELINE);
        filters.addClassName("activity-filters");
        add(new PageHeader("Activity"), filters, feed);
    }
}
