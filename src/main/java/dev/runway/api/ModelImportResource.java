package dev.runway.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.runway.base.BadInputException;
import dev.runway.model.ModelImports;
import dev.runway.model.ModelLifecycle;
import dev.runway.model.ModelVersion;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.PartType;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

/** A model trained elsewhere (ONNX or TorchScript) uploaded as the project's next model version. */
@Path("/projects/{projectId}/models/import")
@Produces(MediaType.APPLICATION_JSON)
@ActsForKey
@Tag(name = "Models")
public class ModelImportResource {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    @Inject
    ModelImports imports;

    @Inject
    ModelLifecycle lifecycle;

    @POST
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Operation(summary = "Import a model file as the project's next version",
            description = "Multipart form: part \"file\" (the .onnx or TorchScript .pt file) and part \"manifest\" "
                    + "(JSON: {\"name\", \"format\": \"onnx|torchscript\", \"task\": \"classification|regression\", "
                    + "\"features\": [input columns in the model's order], \"inputs\": \"raw|prepared\", \"target\", "
                    + "\"classes\": [class names in the order of the outputs]}). The file must load, take as many "
                    + "values per row as the manifest says, and answer a probe batch with one score per class (or "
                    + "one value per row for regression). A refused file leaves nothing behind. Importing is free.")
    @APIResponse(responseCode = "201", description = "The new version, marked imported",
            content = @Content(schema = @Schema(implementation = ModelVersionJson.class)))
    @APIResponse(responseCode = "400", description = "A wrong manifest field, or a file that is not a readable model "
            + "of the format, takes another input width, gives outputs of the wrong shape, or is too large")
    @APIResponse(responseCode = "403", description = "The key's role may not manage projects")
    @APIResponse(responseCode = "404", description = "No such project in this company")
    public Response importModel(@PathParam("projectId") long projectId,
            @RestForm("file") FileUpload file,
            @RestForm("manifest") @PartType(MediaType.TEXT_PLAIN) @Schema(description = "the manifest, JSON",
                    example = "{\"name\": \"iris-onnx\", \"format\": \"onnx\", \"task\": \"classification\", "
                    + "\"features\": [\"sepal_length\", \"sepal_width\", \"petal_length\", \"petal_width\"], "
                    + "\"inputs\": \"raw\", \"target\": \"species\", \"classes\": [\"setosa\", \"versicolor\", "
                    + "\"virginica\"]}") String manifest) throws IOException {
        ModelImports.Manifest parsed = manifest(manifest);
        if (file == null || file.uploadedFile() == null) {
            throw new BadInputException("file", "Send the model file in a form part named “file”");
        }
        ModelVersion version;
        try (InputStream in = Files.newInputStream(file.uploadedFile())) {
            version = imports.importModel(projectId, parsed, in);
        }
        return Created.at("/api/v1/models/" + version.getId())
                .entity(ModelVersionJson.of(version, lifecycle.aliases(version.getId()))).build();
    }

    private static ModelImports.Manifest manifest(String json) {
        if (json == null || json.isBlank()) {
            throw new BadInputException("manifest", "Send the manifest as JSON in a form part named “manifest”");
        }
        try {
            return MAPPER.readValue(json, ModelImports.Manifest.class);
        } catch (JsonMappingException e) {
            String field = e.getPath().isEmpty() ? null : e.getPath().get(0).getFieldName();
            throw new BadInputException(field == null ? "manifest" : "manifest." + field, field == null
                    ? "The manifest could not be read" : "“" + field + "” is unknown or has the wrong type");
        } catch (JsonProcessingException e) {
            throw new BadInputException("manifest", "The manifest is not JSON");
        }
    }
}
