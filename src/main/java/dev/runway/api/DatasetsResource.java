package dev.runway.api;

import dev.runway.base.Keyset;
import dev.runway.dataset.Dataset;
import dev.runway.dataset.DatasetService;
import jakarta.inject.Inject;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

/** A dataset with its versions, and uploads of new versions onto it. */
@Path("/datasets")
@Produces(MediaType.APPLICATION_JSON)
@ActsForKey
@Tag(name = "Datasets")
public class DatasetsResource {

    @Inject
    DatasetService datasets;

    @Inject
    Uploads uploads;

    @GET
    @Path("/{datasetId}")
    @Operation(summary = "One dataset with all its versions, newest first")
    @APIResponse(responseCode = "200", description = "The dataset")
    @APIResponse(responseCode = "404", description = "No such dataset in this company")
    public DatasetJson getDataset(@PathParam("datasetId") long datasetId) {
        Dataset dataset = datasets.dataset(datasetId);
        List<DatasetVersionJson> versions = datasets.versions(datasetId).stream().map(uploads::json).toList();
        return new DatasetJson(dataset.getId(), dataset.getProjectId(), dataset.getName(), dataset.getCreatedAt(),
                versions.isEmpty() ? null : versions.get(0), versions);
    }

    @GET
    @Path("/{datasetId}/versions")
    @Operation(summary = "The dataset's versions, newest first; paged")
    @APIResponse(responseCode = "200", description = "A page of versions")
    @APIResponse(responseCode = "404", description = "No such dataset in this company")
    public ListPage<DatasetVersionJson> listVersions(@PathParam("datasetId") long datasetId,
            @BeanParam Paging paging) {
        Paging.Request page = paging.of("versions");
        return page.page(datasets.versions(datasetId, page.after(), page.fetch()),
                v -> new Keyset(Integer.toString(v.getVersion()), v.getId()), uploads::json);
    }

    @POST
    @Path("/{datasetId}/versions")
    @Consumes({"text/csv", MediaType.TEXT_PLAIN, MediaType.APPLICATION_OCTET_STREAM})
    @Operation(summary = "Upload a CSV as the dataset's next version",
            description = "The body is the CSV itself (UTF-8, with a header row); it is profiled and stored, or "
                    + "refused whole with the line that is wrong. A version's preparation settings (needed before "
                    + "training) are saved on its page or with PUT /datasets/versions/{versionId}/preparation.")
    @RequestBody(description = "the CSV file", required = true, content = {
        @Content(mediaType = "text/csv", schema = @Schema(type = SchemaType.STRING), example = Uploads.CSV_EXAMPLE),
        @Content(mediaType = MediaType.TEXT_PLAIN, schema = @Schema(type = SchemaType.STRING),
                example = Uploads.CSV_EXAMPLE),
        @Content(mediaType = MediaType.APPLICATION_OCTET_STREAM,
                schema = @Schema(type = SchemaType.STRING, format = "binary"))})
    @APIResponse(responseCode = "201", description = "The new version",
            content = @Content(schema = @Schema(implementation = DatasetVersionJson.class)))
    @APIResponse(responseCode = "200", description = "The bytes are identical to this existing version, which was kept "
            + "(existing: true); ?force=true adds them as a new version",
            content = @Content(schema = @Schema(implementation = DatasetVersionJson.class)))
    @APIResponse(responseCode = "400", description = "Not a usable CSV, or too large")
    @APIResponse(responseCode = "403", description = "The key's role may not change datasets")
    @APIResponse(responseCode = "404", description = "No such dataset in this company")
    public Response uploadCsv(@PathParam("datasetId") long datasetId, @QueryParam("filename") String filename,
            @QueryParam("force") boolean force, InputStream body) throws IOException {
        Dataset dataset = datasets.dataset(datasetId);
        return uploads.answer(uploads.upload(dataset.getProjectId(), dataset.getName(), filename, body, force),
                dataset.getName());
    }

    @POST
    @Path("/{datasetId}/versions")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Operation(summary = "Upload a CSV (multipart form, part \"file\") as the dataset's next version")
    @APIResponse(responseCode = "201", description = "The new version",
            content = @Content(schema = @Schema(implementation = DatasetVersionJson.class)))
    @APIResponse(responseCode = "200", description = "Identical to this existing version, which was kept",
            content = @Content(schema = @Schema(implementation = DatasetVersionJson.class)))
    public Response uploadForm(@PathParam("datasetId") long datasetId, @RestForm("file") FileUpload file,
            @QueryParam("force") boolean force) throws IOException {
        Dataset dataset = datasets.dataset(datasetId);
        return uploads.answer(uploads.upload(dataset.getProjectId(), dataset.getName(), file, force),
                dataset.getName());
    }
}
