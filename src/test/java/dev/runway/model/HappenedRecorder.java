package dev.runway.model;

import dev.runway.base.Happened;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps every Happened fired in tests (in the firing transaction, as the real observers hear it). */
@ApplicationScoped
public class HappenedRecorder {

    private final List<Happened> seen = new CopyOnWriteArrayList<>();

    void record(@Observes Happened happened) {
        seen.add(happened);
    }

    /** What happened to model version {@code versionId} (other subjects, a budget say, may share its id). */
    public List<Happened> about(long versionId) {
        return seen.stream().filter(h -> h.subject().type() == Happened.Subject.Type.MODEL_VERSION
                && h.subject().id() == versionId).toList();
    }
}
