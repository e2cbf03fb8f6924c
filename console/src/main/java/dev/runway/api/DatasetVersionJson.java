package dev.runway.api;

import dev.runway.dataset.DatasetVersion;
import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(name = "DatasetVersion", description = "An immutable version of a dataset; its id is what a run trains on", example = "{\"id\": 42, \"datasetId\": 7, \"version\": 3, "
        + "\"sha256\": \"9f2c4e0b7d1a3c5e8f6b2d4a1c3e5f7b9d0a2c4e6f8b1d3a5c7e9f0b2d4a6c8e\", "
        + "\"sizeBytes\": 4551, \"rows\": 150, \"columns\": 5, \"filename\": \"iris.csv\", "
        + "\"prepared\": true, \"uploadedAt\": \"2026-11-30T09:12:44Z\"}")
public record DatasetVersionJson(long id, long datasetId, int version, String sha256, long sizeBytes, long rows,
        int columns, String filename, boolean prepared, Instant uploadedAt) {

    static DatasetVersionJson of(DatasetVersion v, boolean prepared) {
        return new DatasetVersionJson(v.getId(), v.getDatasetId(), v.getVersion(), v.getSha256(), v.getSizeBytes(),
                v.getRowCount(), v.getColumnCount(), v.getOriginalFilename(), prepared, v.getUploadedAt());
    }
}
