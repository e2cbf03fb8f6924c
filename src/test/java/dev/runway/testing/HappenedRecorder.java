package dev.runway.testing;

import dev.runway.base.Happened;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps every Happened fired in tests, heard in the firing transaction as the real observers hear it. */
@ApplicationScoped
public class HappenedRecorder {

    private final List<Happened> seen = new CopyOnWriteArrayList<>();

    void record(@Observes Happened happened) {
        seen.add(happened);
    }

    /** What happened to one subject, oldest first (subjects of other types may share its id). */
    public List<Happened> about(Happened.Subject.Type type, long id) {
        return seen.stream().filter(h -> h.subject().type() == type && h.subject().id() == id).toList();
    }

    /** What was announced about comment {@code commentId}, oldest first. */
    public List<Happened> aboutComment(long commentId) {
        return seen.stream().filter(h -> h.kind() == Happened.Kind.COMMENT_ADDED
                && Long.valueOf(commentId).equals(h.facts().get("commentId"))).toList();
    }

    /** The happenings of one kind in one company, oldest first. */
    public List<Happened> of(Happened.Kind kind, long tenantId) {
        return seen.stream().filter(h -> h.kind() == kind && h.tenantId() == tenantId).toList();
    }
}
