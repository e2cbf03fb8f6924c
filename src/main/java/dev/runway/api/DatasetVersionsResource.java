package dev.runway.api;

import dev.runway.base.NotFoundException;
import dev.runway.dataset.CsvProfile;
import dev.runway.dataset.DatasetService;
import dev.runway.dataset.Preparation;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * One dataset version: its profile (columns, types, missing values, classes) and its preparation settings, so that a
 * script can take a fresh upload to a run without a person on the version's page.
 */
@Path("/datasets/versions/{versionId}")
@Produces(MediaType.APPLICATION_JSON)
@ActsForKey
@Tag(name = "Datasets")
@APIResponse(responseCode = "401", description = "Missing, unknown, revoked or expired API key",
        content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "404", description = "No such dataset version in this company",
        content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
public class DatasetVersionsResource {

    @Inject
    DatasetService datasets;

    @Inject
    Uploads uploads;

    /** A version with the profile of its file. */
    @Schema(name = "DatasetVersionProfile")
    public record VersionJson(DatasetVersionJson version, CsvProfile profile) {}

    @GET
    @Operation(summary = "A dataset version and its profile",
            description = "Per column: type, missing values, distinct values and the most frequent ones (the classes "
                    + "of a target), range, mean and histogram")
    public VersionJson getDatasetVersion(@PathParam("versionId") long versionId) {
        return new VersionJson(uploads.json(datasets.version(versionId)), datasets.profile(versionId));
    }

    @GET
    @Path("/preparation")
    @Operation(summary = "The version's preparation settings")
    @APIResponse(responseCode = "200", description = "The settings",
            headers = @Header(name = "ETag", description = Tagged.DESCRIPTION),
            content = @Content(schema = @Schema(implementation = PreparationJson.class)))
    public Response getPreparation(@PathParam("versionId") long versionId) {
        Preparation preparation = datasets.preparation(versionId)
                .orElseThrow(() -> new NotFoundException("Preparation settings"));
        return Tagged.ok(PreparationJson.of(preparation), DatasetService.preparationETag(preparation));
    }

    @PUT
    @Path("/preparation")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Save the version's preparation settings",
            description = "Target, features and task are needed; the split, seed, missing values and scaling left "
                    + "out take Runway's defaults. Checked against the version's profile as on its page; a refusal "
                    + "names the field")
    @APIResponse(responseCode = "200", description = "The settings as saved",
            headers = @Header(name = "ETag", description = Tagged.DESCRIPTION),
            content = @Content(schema = @Schema(implementation = PreparationJson.class)))
    @APIResponse(responseCode = "412", description = "If-Match is not the current settings' ETag (or none are saved "
            + "yet): they were changed since they were read; nothing was changed",
            content = @Content(mediaType = "application/problem+json",
                    schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "400", description = "A setting that does not fit the data, with its field",
            content = @Content(mediaType = "application/problem+json",
                    schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "403", description = "The key's role may not change datasets")
    public Response savePreparation(@PathParam("versionId") long versionId,
            @HeaderParam(Tagged.IF_MATCH) @Parameter(description = "the ETag of the settings as last read: they are "
                    + "saved only if they still are") String ifMatch,
            @Valid @NotNull PreparationJson settings) {
        Preparation preparation = settings.toPreparation();
        datasets.savePreparation(versionId, preparation, ifMatch);
        return Tagged.ok(PreparationJson.of(preparation), DatasetService.preparationETag(preparation));
    }
}
