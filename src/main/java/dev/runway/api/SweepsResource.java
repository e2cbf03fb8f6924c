package dev.runway.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runway.base.BadInputException;
import dev.runway.sweep.Sweep;
import dev.runway.sweep.SweepService;
import dev.runway.training.engine.Template;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Hyperparameter sweeps: started with a money cap, followed trial by trial. */
@Path("/sweeps")
@Produces(MediaType.APPLICATION_JSON)
@ActsForKey
@Tag(name = "Sweeps")
public class SweepsResource {

    private static final Set<String> FIELDS = Set.of("datasetVersionId", "template", "hyperparameters", "method",
            "trials", "parallel", "parameters", "objective", "budget", "seed", "eta", "minEpochs");

    /** The request, for the OpenAPI document; read field by field so that a wrong field is named. */
    @Schema(name = "StartSweep", example = "{\"datasetVersionId\": 42, \"template\": \"MLP\", \"hyperparameters\": {\"epochs\": 20}, "
        + "\"method\": \"asha\", \"trials\": 12, \"parallel\": 2, "
        + "\"parameters\": {\"learningRate\": {\"min\": 0.001, \"max\": 0.1, \"log\": true}, "
        + "\"hiddenLayers\": {\"values\": [[32], [64, 32]]}}, \"objective\": \"validationLoss\", "
        + "\"budget\": {\"amount\": 5, \"currency\": \"USD\"}, \"seed\": 7}")
    public record StartSweepRequest(
            @Schema(required = true) Long datasetVersionId,
            @Schema(required = true, enumeration = {"LINEAR_REGRESSION", "LOGISTIC_REGRESSION", "MLP", "CNN",
                    "TRANSFORMER"}) String template,
            @Schema(description = "the template's values the trials start from, as for a run (e.g. the most epochs)")
            ObjectNode hyperparameters,
            @Schema(required = true, enumeration = {"grid", "random", "asha"}) String method,
            @Schema(required = true, description = "1 to 100; a grid must have no more combinations") Integer trials,
            @Schema(description = "trials at once, 1 to 20 (default 1); the plan's concurrency still applies")
            Integer parallel,
            @Schema(required = true, description = "per hyperparameter (learningRate, batchSize, epochs, hiddenLayers, "
                    + "activation, dropout, optimizer, weightDecay): {\"min\", \"max\", \"log\": true, \"steps\"} or "
                    + "{\"values\": [...]}") ObjectNode parameters,
            @Schema(enumeration = {"validationLoss", "validationMetric"}) String objective,
            @Schema(required = true, description = "the money cap: {\"amount\": 5, \"currency\": \"USD\"}")
            ObjectNode budget,
            @Schema(description = "random and ASHA draws; default: the time") Long seed,
            @Schema(description = "ASHA: 1/eta of the trials at a rung go on (2 to 10, default 3)") Integer eta,
            @Schema(description = "ASHA: epochs of the first rung (default 1)") Integer minEpochs) {}

    public record TrialJson(int number, String status, Map<String, Object> parameters, Long runId, String runStatus,
            Integer epochs, Double objective, BigDecimal cost, BigDecimal estimate, String note) {}

    public record MoneyJson(BigDecimal spent, BigDecimal estimated, BigDecimal cap, String currency) {}

    @Schema(name = "Sweep", example = "{\"id\": 9, \"projectId\": 3, \"datasetVersionId\": 42, \"template\": \"MLP\", "
        + "\"method\": \"asha\", \"objective\": \"validationLoss\", \"status\": \"RUNNING\", "
        + "\"parallel\": 2, \"seed\": 7, \"money\": {\"spent\": 0.84, \"estimated\": 2.1, \"cap\": 5, "
        + "\"currency\": \"USD\"}, \"bestTrial\": 2, \"trials\": [{\"number\": 2, "
        + "\"status\": \"SUCCEEDED\", \"parameters\": {\"learningRate\": 0.012, "
        + "\"hiddenLayers\": [64, 32]}, \"runId\": 1207, \"runStatus\": \"SUCCEEDED\", "
        + "\"epochs\": 9, \"objective\": 0.083, \"cost\": 0.12, \"estimate\": 0.11}], "
        + "\"createdAt\": \"2026-11-30T09:12:44Z\"}")
    public record SweepJson(long id, long projectId, long datasetVersionId, String template, String method,
            String objective, String status, String stopReason, int parallel, long seed, MoneyJson money,
            Integer bestTrial, List<TrialJson> trials, Instant createdAt, Instant finishedAt, AutoJson auto) {}

    /**
     * What Auto saw in the data and chose, its time limit, and the model version it registered once it ended (null
     * before); the whole {@code auto} is null for a sweep a person configured.
     */
    public record AutoJson(String shape, String family, String why, String search, long timeLimitSeconds,
            Instant deadline, Long modelVersionId) {}

    @Inject
    SweepService sweeps;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Start a hyperparameter sweep",
            description = "Makes the trials and starts the first ones as ordinary runs. No trial starts when its "
                    + "estimate plus what the sweep has spent and committed would pass the cap; running trials stop "
                    + "at the cap with their checkpoints. See docs/sweeps.md.")
    @APIResponse(responseCode = "201", description = "The sweep",
            content = @Content(schema = @Schema(implementation = SweepJson.class)))
    @APIResponse(responseCode = "400", description = "Bad input: the problem's errors name the field")
    @APIResponse(responseCode = "403", description = "The key's role may not start runs")
    @APIResponse(responseCode = "404", description = "No such dataset version in this company")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = StartSweepRequest.class)))
    public Response start(ObjectNode body) {
        if (body == null) {
            throw new BadInputException(null, "Send the sweep as JSON: {\"datasetVersionId\": …, \"template\": …}");
        }
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw new BadInputException(name, "Unknown field “" + name + "”");
            }
        }
        if (!body.path("datasetVersionId").canConvertToLong()) {
            throw new BadInputException("datasetVersionId", "Give the id of the dataset version to train on");
        }
        Template template = template(body.path("template").asText(null));
        ObjectNode overrides = body.get("hyperparameters") instanceof ObjectNode o ? o : null;
        JsonNode budget = body.path("budget");
        BigDecimal amount = cap(budget);
        Sweep sweep = sweeps.create(new SweepService.Request(body.get("datasetVersionId").asLong(),
                RunsResource.hyperparameters(template, overrides), body.path("method").asText(null),
                integer(body, "trials", 0), integer(body, "parallel", 1), body.get("parameters"),
                body.path("objective").asText(null), amount, budget.path("currency").asText(null),
                seed(body),
                body.has("eta") ? integer(body, "eta", 3) : null,
                body.has("minEpochs") ? integer(body, "minEpochs", 1) : null));
        return Created.at("/api/v1/sweeps/" + sweep.getId()).entity(json(sweeps.details(sweep.getId()))).build();
    }

    @GET
    @Path("/{sweepId}")
    @Operation(summary = "A sweep: its trials with status and metrics, money spent / estimated / cap, the best trial")
    @APIResponse(responseCode = "200", description = "The sweep")
    @APIResponse(responseCode = "404", description = "No such sweep in this company")
    public SweepJson get(@PathParam("sweepId") long sweepId) {
        return json(sweeps.details(sweepId));
    }

    @POST
    @Path("/{sweepId}/cancel")
    @Operation(summary = "Cancel a sweep", description = "No more trials start; running trials stop within seconds "
            + "and keep their checkpoints.")
    @APIResponse(responseCode = "200", description = "The sweep, cancelled")
    @APIResponse(responseCode = "400", description = "The sweep has already ended")
    @APIResponse(responseCode = "404", description = "No such sweep in this company")
    public SweepJson cancel(@PathParam("sweepId") long sweepId) {
        sweeps.cancel(sweepId);
        return json(sweeps.details(sweepId));
    }

    static SweepJson json(SweepService.Details d) {
        Sweep s = d.sweep();
        List<TrialJson> trials = d.trials().stream().map(t -> new TrialJson(t.trial().getNumber(),
                t.trial().getStatus().name(), t.parameters(), t.trial().getRunId(),
                t.runStatus() == null ? null : t.runStatus().name(), t.epochs(), t.trial().getObjective(),
                t.cost(), t.trial().getEstimate(), t.trial().getNote())).toList();
        return new SweepJson(s.getId(), s.getProjectId(), s.getDatasetVersionId(), s.getTemplate(),
                s.getMethod().name().toLowerCase(Locale.ROOT),
                s.getObjective() == Sweep.Objective.VALIDATION_LOSS ? "validationLoss" : "validationMetric",
                s.getStatus().name(), s.getStopReason(), s.getParallel(), s.getSeed(),
                new MoneyJson(d.spent(), d.estimated(), s.getCapAmount(), s.getCurrency()),
                d.best().map(b -> b.trial().getNumber()).orElse(null), trials, s.getCreatedAt(), s.getFinishedAt(),
                s.getAutoChoice().map(c -> new AutoJson(c.shape(), c.family(), c.why(), c.search(),
                        s.getTimeLimit().orElseThrow().toSeconds(), s.getDeadline().orElseThrow(),
                        s.getModelVersionId().orElse(null))).orElse(null));
    }

    private static int integer(JsonNode body, String field, int otherwise) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return otherwise;
        }
        // asInt() would wrap a number past the int range (4294967297 reads as 1): refused instead.
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw new BadInputException(field, "“" + field + "” is a whole number");
        }
        return v.asInt();
    }

    /** The money cap's amount of {@code {"amount": 5, "currency": "USD"}}, refused at "budget" when it is none. */
    static BigDecimal cap(JsonNode budget) {
        if (!budget.path("amount").isNumber() && !budget.path("amount").isTextual()) {
            throw new BadInputException("budget", "Give the money cap: {\"amount\": 5, \"currency\": \"USD\"}");
        }
        try {
            return new BigDecimal(budget.path("amount").asText());
        } catch (NumberFormatException e) {
            throw new BadInputException("budget", "The cap's amount is a number, e.g. 5 or \"2.50\"");
        }
    }

    /** The seed given, or null for the default; anything else than a whole number is refused, not replaced. */
    private static Long seed(JsonNode body) {
        JsonNode v = body.get("seed");
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw new BadInputException("seed", "“seed” is a whole number (a 64-bit integer)");
        }
        return v.asLong();
    }

    private static Template template(String name) {
        String all = Arrays.stream(Template.values()).map(Enum::name).reduce((a, b) -> a + ", " + b).orElse("");
        try {
            return Template.valueOf(String.valueOf(name).strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new BadInputException("template", "Choose a template: " + all);
        }
    }
}
