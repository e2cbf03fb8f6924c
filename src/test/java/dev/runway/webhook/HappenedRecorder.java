package dev.runway.webhook;

import dev.runway.base.Happened;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Remembers the happenings of one kind that tests ask about. */
@ApplicationScoped
public class HappenedRecorder {

    private final List<Happened> seen = new CopyOnWriteArrayList<>();

    void on(@Observes Happened event) {
        if (event.kind() == Happened.Kind.WEBHOOK_DISABLED) {
            seen.add(event);
        }
    }

    List<Happened> disabled(long tenantId) {
        return seen.stream().filter(h -> h.tenantId() == tenantId).toList();
    }
}
