package dev.runway.api;

import dev.runway.base.BadInputException;
import dev.runway.dataset.DatasetService;
import dev.runway.dataset.DatasetVersion;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import org.jboss.resteasy.reactive.multipart.FileUpload;

/** Dataset uploads through the API: the same DatasetService.upload the project page's upload uses. */
@ApplicationScoped
class Uploads {

    /** A CSV body, as the OpenAPI document shows it. */
    static final String CSV_EXAMPLE = "sepal_length,sepal_width,petal_length,petal_width,species\n"
            + "5.1,3.5,1.4,0.2,setosa\n7.0,3.2,4.7,1.4,versicolor\n6.3,3.3,6.0,2.5,virginica\n";

    @Inject
    DatasetService datasets;

    /**
     * Bytes identical to one of the dataset's versions keep that version (a {@code 200} naming it) unless
     * {@code force} asks for a new version all the same.
     */
    DatasetService.Uploaded upload(long projectId, String datasetName, String filename, InputStream body,
            boolean force) throws IOException {
        if (body == null) {
            throw new BadInputException("file", "Send the CSV as the request body");
        }
        try (InputStream in = body) {
            return datasets.upload(projectId, datasetName, filename, in, identical(force));
        }
    }

    /** A multipart part is already spooled to a temporary file by the HTTP layer; it is streamed from there. */
    DatasetService.Uploaded upload(long projectId, String datasetName, FileUpload file, boolean force)
            throws IOException {
        if (file == null || file.uploadedFile() == null) {
            throw new BadInputException("file", "Send the CSV in a form part named “file”");
        }
        try (InputStream in = Files.newInputStream(file.uploadedFile())) {
            return datasets.upload(projectId, datasetName, file.fileName(), in, identical(force));
        }
    }

    private static DatasetService.Identical identical(boolean force) {
        return force ? DatasetService.Identical.ADD_VERSION : DatasetService.Identical.KEEP_EXISTING;
    }

    DatasetVersionJson json(DatasetVersion version) {
        return DatasetVersionJson.of(version, datasets.preparation(version.getId()).isPresent());
    }

    Response created(DatasetVersion version) {
        return Created.at("/api/v1/datasets/" + version.getDatasetId()).entity(json(version)).build();
    }

    /** {@code 201} with a new version, or {@code 200} with the existing version the bytes were identical to. */
    Response answer(DatasetService.Uploaded uploaded, String datasetName) {
        DatasetVersion version = uploaded.version();
        if (!uploaded.existing()) {
            return created(version);
        }
        return Response.ok(DatasetVersionJson.kept(version, datasets.preparation(version.getId()).isPresent(),
                datasetName)).build();
    }
}
