package dev.runway.training;

import dev.runway.base.Happened;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * What the executor records and tells as a run moves, inside the caller's transaction: its log lines, and the
 * happenings and events other features follow (the activity feed, sweeps, metrics).
 */
@ApplicationScoped
class RunEvents {

    @Inject
    EntityManager em;

    @Inject
    Event<RunFinished> finished;

    @Inject
    Event<Happened> happened;

    @Inject
    RunMetrics metrics;

    @Inject
    Clock clock;

    void log(long runId, String line) {
        em.persist(new RunLog(runId, clock.instant(), line));
    }

    void started(RunRef ref, Run run, String node) {
        announce(ref, run, Happened.Kind.RUN_STARTED, "started on " + node);
    }

    /** A queued run ended before any executor started it: only the features that follow runs (a sweep) hear. */
    void endedInQueue(RunRef ref, Run run) {
        finished.fire(RunFinished.of(ref.tenantId(), run));
    }

    /** A run that held a place has ended (its place is freed by {@link FairAdmission#release}). */
    void ended(RunRef ref, Run run) {
        metrics.ended(run);
        finished.fire(RunFinished.of(ref.tenantId(), run));
        switch (run.getStatus()) {
            case SUCCEEDED -> announce(ref, run, Happened.Kind.RUN_FINISHED, "finished");
            case CANCELLED -> announce(ref, run, Happened.Kind.RUN_CANCELLED, "was cancelled");
            default -> announce(ref, run, Happened.Kind.RUN_FAILED,
                    "failed" + (run.getError() == null ? "" : ": " + run.getError()));
        }
    }

    private void announce(RunRef ref, Run run, Happened.Kind kind, String what) {
        String label = (run.getKind() == Run.Kind.TRAIN ? "Training" : "Evaluation") + " run #" + run.getId();
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("runId", run.getId());
        facts.put("projectId", run.getProjectId());
        facts.put("kind", run.getKind().name());
        facts.put("status", run.getStatus().name());
        facts.put("template", run.getTemplate());
        facts.put("datasetVersionId", run.getDatasetVersionId());
        if (run.getError() != null) {
            facts.put("error", run.getError());
        }
        happened.fire(new Happened(ref.tenantId(), kind, run.getProjectId(),
                new Happened.Subject(Happened.Subject.Type.RUN, run.getId(), label), null,
                label + " (" + run.getTemplate() + ") " + what, Set.of(run.getStartedBy()), facts));
    }
}
