package dev.runway.training.ui;

import com.vaadin.flow.component.html.Span;
import dev.runway.training.Run;

/** A run's status as a coloured badge. */
final class RunBadges {

    private RunBadges() {}

    static Span status(Run run) {
        Span badge = new Span(run.getStatus().name().toLowerCase());
        String theme = switch (run.getStatus()) {
            case SUCCEEDED -> "badge success";
            case FAILED -> "badge error";
            case CANCELLED -> "badge contrast";
            case STOPPED -> "badge error";
            case RUNNING -> "badge";
            case QUEUED -> "badge contrast";
        };
        badge.getElement().getThemeList().addAll(java.util.List.of(theme.split(" ")));
        return badge;
    }
}
