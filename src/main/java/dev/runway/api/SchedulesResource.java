package dev.runway.api;

import dev.runway.base.BadInputException;
import dev.runway.base.Keyset;
import dev.runway.training.RunSchedule;
import dev.runway.training.ScheduleService;
import dev.runway.training.engine.Template;
import jakarta.inject.Inject;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Scheduled re-runs: on a cron, on every new version of a dataset, or both; paused, resumed and deleted. */
@Path("/schedules")
@Produces(MediaType.APPLICATION_JSON)
@ActsForKey
@Tag(name = "Schedules")
public class SchedulesResource {

    private static final String NOT_ALLOWED = "The key's role may not manage projects";
    private static final String NOT_FOUND = "No such schedule in this company";

    @Inject
    ScheduleService schedules;

    @GET
    @Operation(summary = "Schedules by name; paged")
    @APIResponse(responseCode = "200", description = "A page of schedules")
    public ListPage<ScheduleJson> listSchedules(@BeanParam Paging paging) {
        Paging.Request page = paging.of("schedules");
        return page.page(schedules.list(page.after(), page.fetch()), s -> new Keyset(s.getName(), s.getId()),
                ScheduleJson::of);
    }

    @GET
    @Path("/{scheduleId}")
    @Operation(summary = "One schedule")
    @APIResponse(responseCode = "200", description = "The schedule")
    @APIResponse(responseCode = "404", description = NOT_FOUND)
    public ScheduleJson getSchedule(@PathParam("scheduleId") long scheduleId) {
        return ScheduleJson.of(schedules.get(scheduleId));
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create a schedule", description = "Its run is checked now, as a run started by hand on "
            + "the dataset's newest version would be, so that it never fires something that cannot run. Give a "
            + "cron, onNewVersion true, or both.")
    @APIResponse(responseCode = "201", description = "The schedule; Location names it",
            content = @Content(schema = @Schema(implementation = ScheduleJson.class)))
    @APIResponse(responseCode = "400", description = "Bad input: the problem's errors name the field")
    @APIResponse(responseCode = "403", description = NOT_ALLOWED)
    @APIResponse(responseCode = "404", description = "No such dataset in this company")
    public Response createSchedule(
            @NotNull(message = "Send the schedule as JSON: {\"name\": …, \"datasetId\": …, \"template\": …}")
            ScheduleJson.Request request) {
        if (request.datasetId() == null) {
            throw new BadInputException("datasetId", "Give the id of the dataset whose newest version it trains on");
        }
        Template template = RunsResource.template(request.template());
        RunSchedule created;
        try {
            created = schedules.create(new ScheduleService.ScheduleForm(request.name(), request.datasetId(),
                    RunsResource.hyperparameters(template, request.hyperparameters()), request.device(),
                    request.priority() == null ? 50 : request.priority(), request.cron(),
                    Boolean.TRUE.equals(request.onNewVersion())));
        } catch (BadInputException e) {
            throw new BadInputException("dataset".equals(e.field()) ? "datasetId"
                    : RunsResource.requestField(e.field()), e.getMessage());
        }
        return Created.at("/api/v1/schedules/" + created.getId()).entity(ScheduleJson.of(created)).build();
    }

    @POST
    @Path("/{scheduleId}/pause")
    @Operation(summary = "Pause a schedule", description = "It fires no more until resumed. Idempotent")
    @APIResponse(responseCode = "200", description = "The schedule, paused")
    @APIResponse(responseCode = "403", description = NOT_ALLOWED)
    @APIResponse(responseCode = "404", description = NOT_FOUND)
    public ScheduleJson pauseSchedule(@PathParam("scheduleId") long scheduleId) {
        schedules.setPaused(scheduleId, true);
        return ScheduleJson.of(schedules.get(scheduleId));
    }

    @POST
    @Path("/{scheduleId}/resume")
    @Operation(summary = "Resume a schedule", description = "Its next cron firing is planned from now; when its "
            + "creator may no longer start runs, it runs as the key's creator from now on. Idempotent")
    @APIResponse(responseCode = "200", description = "The schedule, active")
    @APIResponse(responseCode = "403", description = NOT_ALLOWED)
    @APIResponse(responseCode = "404", description = NOT_FOUND)
    public ScheduleJson resumeSchedule(@PathParam("scheduleId") long scheduleId) {
        schedules.setPaused(scheduleId, false);
        return ScheduleJson.of(schedules.get(scheduleId));
    }

    @DELETE
    @Path("/{scheduleId}")
    @Operation(summary = "Delete a schedule", description = "The runs it started stay")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "403", description = NOT_ALLOWED)
    @APIResponse(responseCode = "404", description = NOT_FOUND)
    public void deleteSchedule(@PathParam("scheduleId") long scheduleId) {
        schedules.delete(scheduleId);
    }
}
