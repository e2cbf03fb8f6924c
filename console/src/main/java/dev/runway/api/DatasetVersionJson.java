package dev.runway.api;

import dev.runway.dataset.DatasetVersion;
import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(name = "DatasetVersion", description = "An immutable version of a dataset; its id is what a run trains on")
public record DatasetVersionJson(long id, long datasetId, int version, String sha256, long sizeBytes, long rows,
        int columns, String filename, boolean prepared, Instant uploadedAt) {

    static DatasetVersionJson of(DatasetVersion v, boolean prepared) {
        return new DatasetVersionJson(v.getId(), v.getDatasetId(), v.getVersion(), v.getSha256(), v.getSizeBytes(),
                v.getRowCount(), v.getColumnCount(), v.getOriginalFilename(), prepared, v.getUploadedAt());
    }
}
