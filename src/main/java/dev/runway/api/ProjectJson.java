package dev.runway.api;

import dev.runway.project.Project;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(name = "Project", example = "{\"id\": 3, \"name\": \"Churn\", \"description\": \"Who leaves, and why\", "
        + "\"tags\": [\"tabular\", \"q4\"], \"archived\": false, "
        + "\"createdAt\": \"2026-11-30T09:12:44Z\", \"updatedAt\": \"2026-11-30T09:12:44Z\"}")
public record ProjectJson(long id, String name, String description, List<String> tags, boolean archived,
        Instant createdAt, Instant updatedAt) {

    static ProjectJson of(Project p) {
        return new ProjectJson(p.getId(), p.getName(), p.getDescription(), p.getTags(), p.isArchived(),
                p.getCreatedAt(), p.getUpdatedAt());
    }
}
