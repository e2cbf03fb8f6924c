package dev.runway.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** {@code versions} is given when one dataset is asked for, newest first; lists give {@code latest} only. */
@Schema(name = "Dataset")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DatasetJson(long id, long projectId, String name, Instant createdAt, DatasetVersionJson latest,
        List<DatasetVersionJson> versions) {}
