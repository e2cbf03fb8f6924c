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
@APIResponse(responseCode = "404", description = "No such dataset version in this company",
        content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
public class DatasetVersionsResource {

    @Inject
    DatasetService datasets;

    @Inject
    Uploads uploads;

    /** A version with the profile of its file. */
    @Schema(name = "DatasetVersionProfile", example = "{\"version\": {\"id\": 42, \"datasetId\": 7, \"version\": 3, "
        + "\"sha256\": \"9f2c4e0b7d1a3c5e8f6b2d4a1c3e5f7b9d0a2c4e6f8b1d3a5c7e9f0b2d4a6c8e\", "
        + "\"sizeBytes\": 4551, \"rows\": 150, \"columns\": 5, \"filename\": \"iris.csv\", "
        + "\"prepared\": true, \"uploadedAt\": \"2026-11-30T09:12:44Z\"}, "
        + "\"profile\": {\"delimiter\": \",\", \"header\": true, \"rows\": 150, "
        + "\"columns\": [{\"name\": \"petal_length\", \"type\": \"NUMERIC\", \"missing\": 0, "
        + "\"nonNumeric\": 0, \"min\": 1.0, \"max\": 6.9, \"mean\": 3.76, \"distinct\": 43, "
        + "\"distinctCapped\": false, \"topValues\": [{\"value\": \"1.4\", \"count\": 13}], "
        + "\"histogram\": [{\"from\": 1.0, \"to\": 3.95, \"count\": 50}, {\"from\": 3.95, \"to\": 6.9, "
        + "\"count\": 100}], \"histogramSampled\": false, "
        + "\"invalidNumbers\": 0}, {\"name\": \"species\", \"type\": \"CATEGORICAL\", \"missing\": 0, "
        + "\"nonNumeric\": 150, \"firstNonNumericLine\": 2, \"firstNonNumericValue\": \"setosa\", "
        + "\"distinct\": 3, \"distinctCapped\": false, \"topValues\": [{\"value\": \"setosa\", "
        + "\"count\": 50}, {\"value\": \"versicolor\", \"count\": 50}, {\"value\": \"virginica\", "
        + "\"count\": 50}], \"histogram\": [], \"histogramSampled\": false, "
        + "\"invalidNumbers\": 0}], \"decimalSeparator\": \".\"}}")
    public record VersionJson(DatasetVersionJson version, CsvProfile profile) {}

    @GET
    @Operation(summary = "A dataset version and its profile",
            description = "Per column: type, missing values, distinct values and the most frequent ones (the classes "
                    + "of a target), range, mean and histogram")
    @APIResponse(responseCode = "200", description = "The version and its profile")
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
