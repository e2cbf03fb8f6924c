package dev.runway.collaboration.ui;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.checkbox.Checkbox;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import dev.runway.collaboration.ActivityService;
import dev.runway.collaboration.ActivityService.Note;
import dev.runway.collaboration.ActivityService.Setting;
import dev.runway.collaboration.LiveBus;
import dev.runway.base.ui.Formats;
import dev.runway.base.ui.Messages;
import dev.runway.base.ui.PageHeader;
import dev.runway.tenancy.Permission;
import dev.runway.tenancy.RequiresPermission;
import jakarta.inject.Inject;
import java.util.List;

/** The member's notifications (newest first, live), and what they want to be notified of, and how. */
@Route("notifications")
@PageTitle("Notifications · Runway")
@RequiresPermission(Permission.READ)
public class NotificationsView extends VerticalLayout {

    private static final int PAGE = 30;

    private final ActivityService activity;
    private final Div list = new Div();
    private final Paragraph empty = new Paragraph("No notifications. You hear here of mentions, your runs ending, "
            + "stage changes in your projects, approval requests and budget alerts; choose which below.");
    private final Button more = new Button("Load more");
    private Long oldest;

    @Inject
    public NotificationsView(ActivityService activity, LiveBus bus) {
        this.activity = activity;
        Button markAll = new Button("Mark all read", e -> {
            int n = activity.markAllRead();
            Messages.success(n == 0 ? "Nothing was unread" : n + " marked read");
            reload();
        });
        list.addClassName("notification-list");
        list.getElement().setAttribute("role", "list");
        more.addThemeVariants(ButtonVariant.LUMO_TERTIARY);
        more.addClickListener(e -> append(activity.notifications(oldest, PAGE + 1, false)));
        add(new PageHeader("Notifications", markAll), list, empty, more, settings());
        LiveSignals.follow(this, bus, (signal, actor) -> signal.notifies(actor.userId()), this::reload);
        reload();
    }

    private void reload() {
        list.removeAll();
        oldest = null;
        append(activity.notifications(null, PAGE + 1, false));
    }

    private void append(List<Note> page) {
        List<Note> shown = page.size() > PAGE ? page.subList(0, PAGE) : page;
        shown.forEach(n -> list.add(row(n)));
        if (!shown.isEmpty()) {
            oldest = shown.get(shown.size() - 1).id();
        }
        more.setVisible(page.size() > PAGE);
        empty.setVisible(list.getComponentCount() == 0);
    }

    private Component row(Note note) {
        Anchor summary = new Anchor(note.activity().link(), note.activity().summary());
        summary.getElement().setAttribute("router-link", true);
        summary.addClassName("activity-summary");
        Span meta = new Span((note.activity().actorName() == null ? "Runway" : note.activity().actorName())
                + (note.activity().projectName() == null ? "" : " · " + note.activity().projectName()) + " · "
                + Formats.dateTime(note.activity().createdAt()));
        meta.addClassName("activity-meta");
        Div text = new Div(summary, meta);
        text.addClassName("notification-text");
        HorizontalLayout row = new HorizontalLayout(text);
        row.setAlignItems(FlexComponent.Alignment.CENTER);
        row.setWidthFull();
        row.setFlexGrow(1, text);
        row.addClassName("notification");
        row.getElement().setAttribute("role", "listitem");
        if (!note.read()) {
            row.addClassName("unread");
            Button read = new Button("Mark read");
            read.addThemeVariants(ButtonVariant.LUMO_TERTIARY, ButtonVariant.LUMO_SMALL);
            read.addClickListener(e -> {
                activity.markRead(note.id());
                row.removeClassName("unread");
                row.remove(read);
            });
            summary.getElement().addEventListener("click", e -> {
                activity.markRead(note.id());
            });
            row.add(read);
        }
        return row;
    }

    private Component settings() {
        VerticalLayout section = new VerticalLayout();
        section.setPadding(false);
        section.addClassName("notification-settings");
        section.add(new H3("Notify me of"));
        if (!activity.mailConfigured()) {
            section.add(new Paragraph("Mail is off on this installation (no SMTP server is configured): the email "
                    + "choices take effect once it is."));
        }
        for (Setting setting : activity.settings()) {
            Span label = new Span(setting.category().label());
            Checkbox inApp = new Checkbox("In Runway", setting.inApp());
            Checkbox email = new Checkbox("By email", setting.email());
            inApp.setAriaLabel(setting.category().label() + " in Runway");
            email.setAriaLabel(setting.category().label() + " by email");
            Runnable save = () -> {
                try {
                    activity.save(new Setting(setting.category(), inApp.getValue(), email.getValue()));
                    Messages.success("Saved: " + setting.category().label());
                } catch (RuntimeException ex) {
                    Messages.show(ex);
                }
            };
            inApp.addValueChangeListener(e -> save.run());
            email.addValueChangeListener(e -> save.run());
            HorizontalLayout row = new HorizontalLayout(label, inApp, email);
            row.setAlignItems(FlexComponent.Alignment.CENTER);
            row.setFlexGrow(1, label);
            row.setWidthFull();
            row.addClassName("notification-setting");
            section.add(row);
        }
        return section;
    }
}
