package dev.runway.collaboration.ui;

import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.router.RouterLink;
import dev.runway.collaboration.ActivityService;
import dev.runway.collaboration.LiveBus;
import dev.runway.base.AccessDeniedException;

/**
 * The bell in the header: the member's unread notifications, counted again whenever a signal names them (from any
 * node), and on every navigation (the layout calls {@link #refresh}).
 */
public class NotificationBell extends RouterLink {

    private final ActivityService activity;
    private final Span count = new Span();

    public NotificationBell(ActivityService activity, LiveBus bus) {
        super("", NotificationsView.class);
        this.activity = activity;
        addClassName("notification-bell");
        count.addClassName("notification-count");
        add(VaadinIcon.BELL_O.create(), count);
        LiveSignals.follow(this, bus, (signal, actor) -> signal.notifies(actor.userId()), this::refresh);
        count.setVisible(false);
    }

    public void refresh() {
        long unread;
        try {
            unread = activity.unreadCount();
        } catch (AccessDeniedException e) {
            unread = 0; // no longer a member here: the next navigation shows why
        }
        count.setText(unread == 0 ? "" : unread > 99 ? "99+" : Long.toString(unread));
        count.setVisible(unread > 0);
        String label = unread == 0 ? "Notifications: none unread" : "Notifications: " + unread + " unread";
        getElement().setAttribute("aria-label", label);
        getElement().setAttribute("title", label);
    }
}
