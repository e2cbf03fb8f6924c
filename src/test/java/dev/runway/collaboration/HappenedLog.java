package dev.runway.collaboration;

import dev.runway.base.Happened;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Every comment happening fired in tests, as the activity feed and notifications would observe it. */
@ApplicationScoped
public class HappenedLog {

    private final List<Happened> seen = new CopyOnWriteArrayList<>();

    void on(@Observes Happened happened) {
        if (happened.kind() == Happened.Kind.COMMENT_ADDED) {
            seen.add(happened);
        }
    }

    /** What was fired about comment {@code commentId}, oldest first. */
    public List<Happened> about(long commentId) {
        return seen.stream().filter(h -> Long.valueOf(commentId).equals(h.facts().get("commentId"))).toList();
    }
}
