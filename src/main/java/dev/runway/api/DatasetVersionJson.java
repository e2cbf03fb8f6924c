package dev.runway.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.runway.dataset.DatasetVersion;
import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(name = "DatasetVersion", description = "An immutable version of a dataset; its id is what a run trains on",
        example = "{\"id\": 42, \"datasetId\": 7, \"version\": 3, "
        + "\"sha256\": \"9f2c4e0b7d1a3c5e8f6b2d4a1c3e5f7b9d0a2c4e6f8b1d3a5c7e9f0b2d4a6c8e\", "
        + "\"sizeBytes\": 4551, \"rows\": 150, \"columns\": 5, \"filename\": \"iris.csv\", "
        + "\"prepared\": true, \"uploadedAt\": \"2026-11-30T09:12:44Z\"}")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DatasetVersionJson(long id, long datasetId, int version, String sha256, long sizeBytes, long rows,
        int columns, String filename, boolean prepared, Instant uploadedAt,
        @Schema(description = "only in an upload's answer: true when the bytes were identical to this existing "
                + "version, which was kept (200); add ?force=true to add them as a new version") Boolean existing,
        @Schema(description = "only with existing: what happened, in words") String message) {

    static DatasetVersionJson of(DatasetVersion v, boolean prepared) {
        return new DatasetVersionJson(v.getId(), v.getDatasetId(), v.getVersion(), v.getSha256(), v.getSizeBytes(),
                v.getRowCount(), v.getColumnCount(), v.getOriginalFilename(), prepared, v.getUploadedAt(), null, null);
    }

    /** An upload's answer when its bytes were those of {@code v}, which was kept. */
    static DatasetVersionJson kept(DatasetVersion v, boolean prepared, String datasetName) {
        return new DatasetVersionJson(v.getId(), v.getDatasetId(), v.getVersion(), v.getSha256(), v.getSizeBytes(),
                v.getRowCount(), v.getColumnCount(), v.getOriginalFilename(), prepared, v.getUploadedAt(), true,
                "The file is identical to version " + v.getVersion() + " of “" + datasetName + "” (SHA-256 "
                        + v.getSha256().substring(0, 12) + "…): that version was kept and none was added. Send "
                        + "?force=true to add it as a new version anyway.");
    }
}
