package dev.runway.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runway.training.RunSchedule;
import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A scheduled re-run, as the Schedules list shows it. */
@Schema(name = "Schedule", example = "{\"id\": 5, \"projectId\": 3, \"datasetId\": 34, \"name\": \"Nightly churn\", "
        + "\"cron\": \"0 0 2 * * *\", \"onNewVersion\": true, \"device\": \"auto\", \"priority\": 50, "
        + "\"paused\": false, \"nextFireAt\": \"2026-12-01T02:00:00Z\"}")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ScheduleJson(long id, long projectId, long datasetId, String name,
        @Schema(description = "six fields, second minute hour day month weekday (UTC); absent: none") String cron,
        boolean onNewVersion, String device, int priority, boolean paused,
        @Schema(description = "why it paused itself (its run was refused)") String pausedNote,
        @Schema(description = "the next cron firing; absent while paused or without cron") Instant nextFireAt) {

    static ScheduleJson of(RunSchedule s) {
        return new ScheduleJson(s.getId(), s.getProjectId(), s.getDatasetId(), s.getName(), s.getCron(),
                s.isOnNewVersion(), s.getRequestedDevice(), s.getPriority(), s.isPaused(), s.getPausedNote(),
                s.getNextFireAt());
    }

    /** A new schedule: the run it starts (as for POST /runs, on the dataset's newest version) and when. */
    @Schema(name = "ScheduleRequest", example = "{\"name\": \"Nightly churn\", \"datasetId\": 34, \"template\": "
            + "\"MLP\", \"hyperparameters\": {\"epochs\": 20}, \"cron\": \"0 0 2 * * *\", \"onNewVersion\": true}")
    public record Request(
            @Schema(required = true) String name,
            @Schema(required = true, description = "the dataset whose newest version each run trains on")
            Long datasetId,
            @Schema(required = true, enumeration = {"LINEAR_REGRESSION", "LOGISTIC_REGRESSION", "MLP", "CNN",
                    "TRANSFORMER"}) String template,
            @Schema(description = "overrides of the template's defaults, as for POST /runs") ObjectNode hyperparameters,
            @Schema(description = "auto (default), cpu or gpu") String device,
            @Schema(description = "0 (lowest) to 100; default 50") Integer priority,
            @Schema(description = "six fields, second minute hour day month weekday, in UTC, e.g. 0 0 2 * * *")
            String cron,
            @Schema(description = "also run on every new version of the dataset") Boolean onNewVersion) {}
}
