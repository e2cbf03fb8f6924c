package dev.runway.training;

/** The payload of a run's execution in db-scheduler: ids only; the handler loads the rest as that tenant. */
public record RunRef(long tenantId, long runId, long userId) {

    /** The task instance id: the tenant first, so that fair admission can read it without the payload. */
    String instanceId() {
        return tenantId + "-" + runId;
    }
}
