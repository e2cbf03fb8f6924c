package dev.runway.training;

/** The payload of a schedule's next firing in db-scheduler. */
public record ScheduleRef(long tenantId, long scheduleId, long userId) {

    String instanceId() {
        return tenantId + "-" + scheduleId;
    }
}
