package dev.runway.collaboration.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import dev.runway.collaboration.ActivityService;
import dev.runway.collaboration.ActivityService.Entry;
import dev.runway.collaboration.ActivityService.Filter;
import dev.runway.collaboration.LiveBus;
import dev.runway.base.ui.Formats;
import java.util.List;

/**
 * A feed of activity, newest first: paged backwards by id ("Load more"), and live: entries committed on any node
 * appear at the top without a reload.
 */
public class ActivityFeed extends VerticalLayout {

    private final ActivityService activity;
    private final int pageSize;
    private final Div entries = new Div();
    private final Paragraph empty = new Paragraph();
    private final Button more = new Button("Load more");
    private Filter filter;
    private Long newest;
    private Long oldest;

    public ActivityFeed(ActivityService activity, LiveBus bus, Filter filter, int pageSize, boolean pages) {
        this.activity = activity;
        this.filter = filter;
        this.pageSize = pageSize;
        addClassName("activity-feed");
        setPadding(false);
        setSpacing(false);
        entries.addClassName("activity-entries");
        entries.getElement().setAttribute("role", "feed");
        entries.getElement().setAttribute("aria-label", "Activity");
        empty.setText("Nothing has happened here yet: runs, uploads, stage changes, comments and budget alerts "
                + "show up as they happen.");
        more.addThemeVariants(ButtonVariant.LUMO_TERTIARY);
        more.addClickListener(e -> loadOlder());
        more.setVisible(false);
        add(entries, empty, more);
        if (!pages) {
            remove(more);
        }
        LiveSignals.follow(this, bus, (signal, actor) -> signal.everyone() || signal.activityId() > 0
                && (this.filter.projectId() == null || this.filter.projectId().equals(signal.projectId())),
                this::catchUp);
        reload();
    }

    public void setFilter(Filter filter) {
        this.filter = filter;
        reload();
    }

    private void reload() {
        entries.removeAll();
        newest = null;
        oldest = null;
        List<Entry> page = activity.feed(filter, null, pageSize + 1);
        append(page);
    }

    private void loadOlder() {
        append(activity.feed(filter, oldest, pageSize + 1));
    }

    /** Pages come one longer than shown: the extra entry only says that there is more. */
    private void append(List<Entry> page) {
        List<Entry> shown = page.size() > pageSize ? page.subList(0, pageSize) : page;
        shown.forEach(e -> entries.add(row(e)));
        if (!shown.isEmpty()) {
            if (newest == null) {
                newest = shown.get(0).id();
            }
            oldest = shown.get(shown.size() - 1).id();
        }
        more.setVisible(page.size() > pageSize);
        empty.setVisible(newest == null);
    }

    /** New entries (from a live signal) go on top; the page keeps what it showed. */
    private void catchUp() {
        if (newest == null) {
            reload();
            return;
        }
        List<Entry> fresh = activity.newer(filter, newest, pageSize);
        for (int i = fresh.size() - 1; i >= 0; i--) {
            entries.addComponentAsFirst(row(fresh.get(i)));
        }
        if (!fresh.isEmpty()) {
            newest = fresh.get(0).id();
            empty.setVisible(false);
        }
    }

    static Div row(Entry e) {
        Anchor summary = new Anchor(e.link(), e.summary());
        summary.getElement().setAttribute("router-link", true);
        summary.addClassName("activity-summary");
        Span meta = new Span((e.actorName() == null ? "Runway" : e.actorName())
                + (e.projectName() == null ? "" : " · " + e.projectName()) + " · " + Formats.dateTime(e.createdAt()));
        meta.addClassName("activity-meta");
        Div row = new Div(summary, meta);
        row.addClassName("activity-entry");
        row.getElement().setAttribute("role", "article");
        row.getElement().setAttribute("data-kind", e.kind());
        return row;
    }
}
