package dev.runway.api;

import dev.runway.base.BadInputException;
import dev.runway.model.ModelArtifacts;
import dev.runway.model.ModelImports;
import dev.runway.model.ModelLifecycle;
import dev.runway.model.ModelLineage;
import dev.runway.model.ModelService;
import dev.runway.model.ModelStage;
import dev.runway.model.ModelVersion;
import dev.runway.training.Run;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** A model version's lifecycle: stage changes, approvals, aliases, and its files for a serving system. */
@Path("/models")
@Produces(MediaType.APPLICATION_JSON)
@ActsForKey
@Tag(name = "Models")
public class ModelsResource {

    @Inject
    ModelService models;

    @Inject
    ModelLifecycle lifecycle;

    @Inject
    ModelArtifacts artifacts;

    @Inject
    ModelImports imports;

    @Inject
    ModelLineage lineage;

    @GET
    @Path("/{versionId}")
    @Operation(summary = "One model version, with its stage and aliases")
    @APIResponse(responseCode = "200", description = "The version")
    @APIResponse(responseCode = "404", description = "No such model version in this company")
    public ModelVersionJson getVersion(@PathParam("versionId") long versionId) {
        return json(models.get(versionId));
    }

    @POST
    @Path("/{versionId}/stage")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Move a version to another stage", description = "Made at once (200, the version) when the "
            + "project's rules let the key's role make it; when Production needs approvals, a pending request is "
            + "made instead (202). A move to Production archives the version that was there.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = LifecycleRequests.StageChange.class)))
    @APIResponse(responseCode = "200", description = "The version, in its new stage",
            content = @Content(schema = @Schema(implementation = ModelVersionJson.class)))
    @APIResponse(responseCode = "202", description = "The pending request, waiting for approvals",
            content = @Content(schema = @Schema(implementation = StageRequestJson.class)))
    @APIResponse(responseCode = "400", description = "No comment, an unknown stage, the same stage, or the version "
            + "fails the project's metric gate (the detail names the figure)")
    @APIResponse(responseCode = "403", description = "The project's rules do not let this role make the move")
    @APIResponse(responseCode = "404", description = "No such model version in this company")
    public Response changeStage(@PathParam("versionId") long versionId,
            @Valid @NotNull(message = "Send {\"stage\": \"STAGING\", \"comment\": \"why\"}")
            LifecycleRequests.StageChange body) {
        return answer(lifecycle.changeStage(versionId, stage(body.stage()), body.comment()));
    }

    @POST
    @Path("/{versionId}/approve")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Approve the version's pending stage request", description = "By a member whose role may "
            + "make that move and who did not ask for it, once each. The approval that completes the count makes the "
            + "change (200, the version); before that the request stays pending (202).")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = LifecycleRequests.WithComment.class)))
    @APIResponse(responseCode = "200", description = "The version, in its new stage",
            content = @Content(schema = @Schema(implementation = ModelVersionJson.class)))
    @APIResponse(responseCode = "202", description = "The request, still waiting for more approvals",
            content = @Content(schema = @Schema(implementation = StageRequestJson.class)))
    @APIResponse(responseCode = "400", description = "No comment, no pending request, already approved, or the "
            + "version fails the metric gate")
    @APIResponse(responseCode = "403", description = "The requester, or a role that may not make this move")
    @APIResponse(responseCode = "404", description = "No such model version in this company")
    public Response approve(@PathParam("versionId") long versionId,
            @Valid @NotNull(message = LifecycleRequests.SEND_COMMENT) LifecycleRequests.WithComment body) {
        return answer(lifecycle.approve(versionId, body.comment()));
    }

    @POST
    @Path("/{versionId}/reject")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Reject (or, as its requester, withdraw) the version's pending stage request")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = LifecycleRequests.WithComment.class)))
    @APIResponse(responseCode = "204", description = "Rejected")
    @APIResponse(responseCode = "400", description = "No comment, or no pending request")
    @APIResponse(responseCode = "403", description = "A role that may not make this move")
    public Response reject(@PathParam("versionId") long versionId,
            @Valid @NotNull(message = LifecycleRequests.SEND_COMMENT) LifecycleRequests.WithComment body) {
        lifecycle.reject(versionId, body.comment());
        return Response.noContent().build();
    }

    @PUT
    @Path("/{versionId}/aliases/{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Point an alias (e.g. champion) at this version", description = "Moves it from another "
            + "version of the project if it pointed there. Needs a role the project lets move versions to Staging.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = LifecycleRequests.WithComment.class)))
    @APIResponse(responseCode = "200", description = "The version, with its aliases")
    @APIResponse(responseCode = "400", description = "Not an alias name (1–32 of a-z, 0-9, - and _), no comment, "
            + "or the alias already points here")
    @APIResponse(responseCode = "403", description = "A role that may not move versions to Staging")
    public ModelVersionJson setAlias(@PathParam("versionId") long versionId, @PathParam("name") String name,
            @Valid @NotNull(message = LifecycleRequests.SEND_COMMENT) LifecycleRequests.WithComment body) {
        lifecycle.setAlias(versionId, name, body.comment());
        return json(models.get(versionId));
    }

    /** The body of an evaluation request. */
    @Schema(name = "EvaluateRequest", example = "{\"datasetVersionId\": 42, \"rows\": \"test\"}")
    public record EvaluateRequest(
            @NotNull(message = "Give the id of the dataset version to evaluate on") Long datasetVersionId,
            @Schema(enumeration = {"all", "test"}, description = "all rows of the dataset version, or its test split "
                    + "(a trained version: only on the version it was trained on); default: test on that version, "
                    + "else all") String rows) {}

    @POST
    @Path("/{versionId}/evaluate")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Evaluate a version (imported or trained) on a dataset version",
            description = "Queues an evaluation run, billed like any run. GET /api/v1/runs/{id} gives its metrics "
                    + "(results: accuracy or mse, …) and the whole evaluation (confusion matrix or residual points, "
                    + "permutation importance) once it has finished.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = EvaluateRequest.class)))
    @APIResponse(responseCode = "201", description = "The queued evaluation run",
            content = @Content(schema = @Schema(implementation = RunJson.class)))
    @APIResponse(responseCode = "400", description = "No dataset version, rows not all or test, or the version lacks "
            + "the model's columns")
    @APIResponse(responseCode = "403", description = "The key's role may not evaluate models")
    @APIResponse(responseCode = "404", description = "No such model version or dataset version in this company")
    public Response evaluate(@PathParam("versionId") long versionId,
            @Valid @NotNull(message = "Send {\"datasetVersionId\": …}") EvaluateRequest body) {
        Run run = imports.evaluate(versionId, body.datasetVersionId(), body.rows());
        return Created.at("/api/v1/runs/" + run.getId()).entity(RunJson.of(run, null, null)).build();
    }

    @GET
    @Path("/{versionId}/artifact")
    @Produces({"application/zip", "application/problem+json"})
    @Operation(summary = "The version's model files and metadata, as a zip", description = "model/… holds the "
            + "stored files; runway-model.json the version, stage, aliases, metrics and lineage.")
    @APIResponse(responseCode = "200", description = "The zip", content = @Content(mediaType = "application/zip",
            schema = @Schema(type = SchemaType.STRING, format = "binary")))
    @APIResponse(responseCode = "404", description = "No such model version in this company")
    public Response artifact(@PathParam("versionId") long versionId) {
        ModelArtifacts.Artifact artifact = artifacts.artifact(versionId);
        StreamingOutput body = artifact::write;
        return Response.ok(body, "application/zip")
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + artifact.fileName() + "\"")
                .build();
    }

    private Response answer(ModelLifecycle.Outcome outcome) {
        if (outcome.made()) {
            return Response.ok(json(outcome.version())).build();
        }
        ModelLifecycle.Pending pending = lifecycle.pending(outcome.version().getId()).orElseThrow();
        return Response.status(Response.Status.ACCEPTED).entity(StageRequestJson.of(pending)).build();
    }

    private ModelVersionJson json(ModelVersion version) {
        return ModelVersionJson.of(version, lifecycle.aliases(version.getId()),
                lineage.preparationOf(version).map(PreparationRevisionJson::of).orElse(null));
    }

    static ModelStage stage(String name) {
        String all = Arrays.stream(ModelStage.values()).map(Enum::name).collect(Collectors.joining(", "));
        if (name == null || name.isBlank()) {
            throw new BadInputException("stage", "Choose a stage: " + all);
        }
        try {
            return ModelStage.valueOf(name.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new BadInputException("stage", "Unknown stage “" + name + "”: choose " + all);
        }
    }
}
