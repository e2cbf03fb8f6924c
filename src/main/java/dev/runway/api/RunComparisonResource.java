package dev.runway.api;

import dev.runway.training.RunComparison;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The run comparison of the console's {@code /runs/compare} page, for scripts and notebooks. */
@Path("/runs/compare")
@Produces(MediaType.APPLICATION_JSON)
@ActsForKey
@Tag(name = "Runs")
public class RunComparisonResource {

    @Inject
    RunComparison comparison;

    @GET
    @Operation(summary = "Compare runs",
            description = "2 to 20 runs of the company, from one project or several: their settings (with whether "
                    + "they differ), test metrics with deltas against the baseline (the first run when left out), and "
                    + "their loss and metric curves downsampled to at most 300 points per run.")
    @APIResponse(responseCode = "200", description = "The comparison", content = @Content(
            schema = @Schema(implementation = RunComparison.Comparison.class), example = "{\"runs\": [{\"id\": 1201, \"kind\": \"TRAIN\", \"status\": \"SUCCEEDED\", "
                    + "\"template\": \"MLP\", \"projectId\": 3, \"projectName\": \"Churn\", "
                    + "\"datasetVersionId\": 42, \"datasetLabel\": \"iris v3\", "
                    + "\"task\": \"CLASSIFICATION\"}, {\"id\": 1202, \"kind\": \"TRAIN\", "
                    + "\"status\": \"SUCCEEDED\", \"template\": \"LOGISTIC_REGRESSION\", \"projectId\": 3, "
                    + "\"projectName\": \"Churn\", \"datasetVersionId\": 42, \"datasetLabel\": \"iris v3\", "
                    + "\"task\": \"CLASSIFICATION\"}], \"baselineId\": 1201, "
                    + "\"settings\": [{\"name\": \"template\", \"values\": [\"MLP\", \"LOGISTIC_REGRESSION\"], "
                    + "\"differs\": true}], \"metrics\": [{\"key\": \"accuracy\", \"values\": [0.967, 0.933], "
                    + "\"deltas\": [null, -0.034], \"lowerIsBetter\": false}], "
                    + "\"curves\": [{\"split\": \"validation\", \"loss\": true, \"task\": \"CLASSIFICATION\", "
                    + "\"lines\": [{\"runId\": 1201, \"epochs\": [1, 2, 3], "
                    + "\"values\": [1.02, 0.61, 0.33]}]}], \"pointsRead\": 120}"))
    @APIResponse(responseCode = "400", description = "Fewer than 2 or more than 20 runs, an id that is not a number, "
            + "or a baseline that is not among the runs")
    @APIResponse(responseCode = "404", description = "A run that does not exist in this company")
    public RunComparison.Comparison compare(@QueryParam("ids") String ids, @QueryParam("baseline") Long baseline) {
        return comparison.compare(RunComparison.parseIds(ids), baseline);
    }
}
