package dev.runway.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** {@code versions} is given when one dataset is asked for, newest first; lists give {@code latest} only. */
@Schema(name = "Dataset", example = "{\"id\": 7, \"projectId\": 3, \"name\": \"iris\", \"createdAt\": \"2026-11-30T09:12:44Z\", "
        + "\"latest\": {\"id\": 42, \"datasetId\": 7, \"version\": 3, "
        + "\"sha256\": \"9f2c4e0b7d1a3c5e8f6b2d4a1c3e5f7b9d0a2c4e6f8b1d3a5c7e9f0b2d4a6c8e\", "
        + "\"sizeBytes\": 4551, \"rows\": 150, \"columns\": 5, \"filename\": \"iris.csv\", "
        + "\"prepared\": true, \"uploadedAt\": \"2026-11-30T09:12:44Z\"}, "
        + "\"versions\": [{\"id\": 42, \"datasetId\": 7, \"version\": 3, "
        + "\"sha256\": \"9f2c4e0b7d1a3c5e8f6b2d4a1c3e5f7b9d0a2c4e6f8b1d3a5c7e9f0b2d4a6c8e\", "
        + "\"sizeBytes\": 4551, \"rows\": 150, \"columns\": 5, \"filename\": \"iris.csv\", "
        + "\"prepared\": true, \"uploadedAt\": \"2026-11-30T09:12:44Z\"}]}")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DatasetJson(long id, long projectId, String name, Instant createdAt, DatasetVersionJson latest,
        List<DatasetVersionJson> versions) {}
