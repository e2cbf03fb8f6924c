package dev.runway.collaboration.ui;

import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.FlexLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.RouterLink;
import dev.runway.collaboration.ActivityService;
import dev.runway.collaboration.ActivityService.Filter;
import dev.runway.collaboration.ActivityService.Note;
import dev.runway.collaboration.LiveBus;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import java.util.List;

/** The dashboard's team news: the company's latest activity and the member's unread notifications, both live. */
@Dependent
public class DashboardActivity extends FlexLayout {

    private static final int SHOWN = 6;

    private final ActivityService activity;
    private final Div unread = new Div();

    @Inject
    public DashboardActivity(ActivityService activity, LiveBus bus) {
        this.activity = activity;
        addClassName("dashboard-activity");
        setFlexWrap(FlexWrap.WRAP);

        VerticalLayout latest = block("Latest activity", new ActivityFeed(activity, bus, Filter.all(), SHOWN, false),
                new RouterLink("All activity", ActivityView.class));
        latest.addClassName("latest-activity");

        unread.addClassName("unread-notifications-list");
        VerticalLayout mine = block("My unread notifications", unread,
                new RouterLink("All notifications", NotificationsView.class));
        mine.addClassName("unread-notifications");
        LiveSignals.follow(mine, bus, (signal, actor) -> signal.notifies(actor.userId()), this::refresh);
        refresh();
        add(latest, mine);
    }

    private static VerticalLayout block(String title, com.vaadin.flow.component.Component body, RouterLink all) {
        VerticalLayout block = new VerticalLayout(new H3(title), body, all);
        block.setPadding(false);
        block.addClassName("dashboard-block");
        return block;
    }

    private void refresh() {
        unread.removeAll();
        List<Note> notes = activity.notifications(null, SHOWN, true);
        notes.forEach(n -> unread.add(ActivityFeed.row(n.activity())));
        if (notes.isEmpty()) {
            unread.add(new Paragraph("Nothing unread."));
        }
    }
}
