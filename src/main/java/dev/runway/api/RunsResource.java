package dev.runway.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runway.base.BadInputException;
import dev.runway.model.ModelService;
import dev.runway.model.ModelVersion;
import dev.runway.training.Run;
import dev.runway.training.RunService;
import dev.runway.training.engine.Augmentation;
import dev.runway.training.engine.Hyperparameters;
import dev.runway.training.engine.Template;
import jakarta.inject.Inject;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Validator;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Starting a training run (checked exactly as the New run dialog's) and following it. */
@Path("/runs")
@Produces(MediaType.APPLICATION_JSON)
@ActsForKey
@Tag(name = "Runs")
public class RunsResource {

    /** The hyperparameters a request may set: every record component but the template, which is given beside. */
    static final Set<String> HYPERPARAMETERS = Arrays.stream(Hyperparameters.class.getRecordComponents())
            .map(c -> c.getName()).filter(n -> !n.equals("template")).collect(Collectors.toUnmodifiableSet());

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);

    @Inject
    RunService runs;

    @Inject
    ModelService models;

    @Inject
    Validator validator;

    @Inject
    AutoResource.Starter autoStarter;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Start a training run",
            description = "Queues a run on a prepared dataset version with a template; hyperparameters not given "
                    + "keep the template's defaults. Refused before anything is queued when it could not run. With "
                    + "the template AUTO (optional timeLimitMinutes and budget, no hyperparameters) Auto picks the "
                    + "model and runs a small search: the answer is its sweep (GET /api/v1/auto/plan shows it first).")
    @APIResponse(responseCode = "201", description = "The queued run, or for AUTO the started search (a sweep)",
            content = @Content(schema = @Schema(oneOf = {RunJson.class, SweepsResource.SweepJson.class})))
    @APIResponse(responseCode = "400", description = "Bad input: the problem's errors name the field")
    @APIResponse(responseCode = "403", description = "The key's role may not start runs")
    @APIResponse(responseCode = "404", description = "No such dataset version in this company")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = StartRunRequest.class)))
    public Response startRun(ObjectNode body) {
        if (AutoResource.isAuto(body)) {
            return autoStarter.start(body);
        }
        StartRunRequest request = request(body);
        Set<ConstraintViolation<StartRunRequest>> violations = validator.validate(request);
        if (!violations.isEmpty()) {
            throw new ConstraintViolationException(violations);
        }
        Template template = template(request.template());
        Hyperparameters hyperparameters = hyperparameters(template, request.hyperparameters());
        Run run;
        try {
            run = runs.submit(new RunService.Submission(request.datasetVersionId(), hyperparameters,
                    request.device(), request.priority() == null ? 50 : request.priority(), request.pool()));
        } catch (BadInputException e) {
            throw new BadInputException(requestField(e.field()), e.getMessage());
        }
        return Created.at("/api/v1/runs/" + run.getId()).entity(RunJson.of(run, null, null)).build();
    }

    @GET
    @Path("/{runId}")
    @Operation(summary = "A run's status, progress and per-epoch metrics", description = "Poll this until "
            + "finished is true; a succeeded training run names the model version it registered.")
    @APIResponse(responseCode = "200", description = "The run")
    @APIResponse(responseCode = "404", description = "No such run in this company")
    public RunJson getRun(@PathParam("runId") long runId) {
        Run run = runs.get(runId);
        Long model = models.forRun(runId).map(ModelVersion::getId).orElse(null);
        var cost = runs.cost(runId);
        return RunJson.of(run, model, runs.metrics(runId).stream().map(MetricJson::of).toList(),
                new RunJson.Cost(cost.amount(), cost.currency().getCurrencyCode(), cost.deviceSeconds()),
                runs.preparationUsed(runId).map(PreparationRevisionJson::of).orElse(null));
    }

    @POST
    @Path("/{runId}/cancel")
    @Operation(summary = "Cancel a run", description = "A queued run is cancelled at once; a running one stops "
            + "within seconds and keeps its last checkpoint.")
    @APIResponse(responseCode = "200", description = "The run, cancelled or stopping")
    @APIResponse(responseCode = "400", description = "The run has already ended")
    @APIResponse(responseCode = "404", description = "No such run in this company")
    public RunJson cancelRun(@PathParam("runId") long runId) {
        runs.cancel(runId);
        return RunJson.of(runs.get(runId), null, null);
    }

    /** Read here rather than by the framework, whose JSON reader skips unknown fields: a misplaced field is named. */
    static StartRunRequest request(ObjectNode body) {
        if (body == null) {
            throw new BadInputException(null, "Send the run as JSON: {\"datasetVersionId\": …, \"template\": …}");
        }
        Set<String> known = Arrays.stream(StartRunRequest.class.getRecordComponents()).map(c -> c.getName())
                .collect(Collectors.toSet());
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!known.contains(name)) {
                throw new BadInputException(name, "Unknown field “" + name + "”" + (HYPERPARAMETERS.contains(name)
                        ? ": hyperparameters go inside \"hyperparameters\": {…}" : ""));
            }
        }
        try {
            return MAPPER.treeToValue(body, StartRunRequest.class);
        } catch (JsonMappingException e) {
            String field = e.getPath().isEmpty() ? null : e.getPath().get(0).getFieldName();
            throw new BadInputException(field, field == null ? "The run could not be read"
                    : "“" + field + "” has the wrong type");
        } catch (JsonProcessingException e) {
            throw new BadInputException(null, "The run could not be read");
        }
    }

    static Template template(String name) {
        String all = Arrays.stream(Template.values()).map(Enum::name).collect(Collectors.joining(", "));
        if (name == null || name.isBlank()) {
            throw new BadInputException("template", "Choose a template: " + all);
        }
        try {
            return Template.valueOf(name.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new BadInputException("template", "Unknown template “" + name + "”: choose " + all);
        }
    }

    /** The template's defaults with the request's values written over them, one field at a time. */
    static Hyperparameters hyperparameters(Template template, ObjectNode overrides) {
        ObjectNode merged = MAPPER.valueToTree(Hyperparameters.defaults(template));
        if (overrides != null) {
            for (Iterator<Map.Entry<String, JsonNode>> it = overrides.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!HYPERPARAMETERS.contains(e.getKey())) {
                    throw new BadInputException("hyperparameters." + e.getKey(), "Unknown hyperparameter “"
                            + e.getKey() + "”: known are " + String.join(", ", HYPERPARAMETERS.stream().sorted()
                            .toList()));
                }
                JsonNode value = e.getValue();
                if (e.getKey().equals("augmentation") && value.isObject()) {
                    // Members left out are off: over "none" rather than missing (primitives must not be null).
                    ObjectNode augmentation = MAPPER.valueToTree(Augmentation.none());
                    augmentation.setAll((ObjectNode) value);
                    value = augmentation;
                }
                merged.set(e.getKey(), value);
                try {
                    MAPPER.treeToValue(merged, Hyperparameters.class);
                } catch (Exception ex) {
                    throw new BadInputException("hyperparameters." + e.getKey(), "“" + e.getKey()
                            + "” has the wrong type or value: " + e.getValue());
                }
            }
        }
        try {
            return MAPPER.treeToValue(merged, Hyperparameters.class);
        } catch (Exception e) {
            throw new BadInputException("hyperparameters", "The hyperparameters could not be read");
        }
    }

    /** The services name the dialog's fields; the API names the request's. */
    static String requestField(String field) {
        if (field == null) {
            return null;
        }
        if (field.equals("dataset")) {
            return "datasetVersionId";
        }
        return HYPERPARAMETERS.contains(field) || field.startsWith("augmentation.") ? "hyperparameters." + field
                : field;
    }
}
