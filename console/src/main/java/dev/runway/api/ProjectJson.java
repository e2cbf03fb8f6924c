package dev.runway.api;

import dev.runway.project.Project;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(name = "Project")
public record ProjectJson(long id, String name, String description, List<String> tags, boolean archived,
        Instant createdAt, Instant updatedAt) {

    static ProjectJson of(Project p) {
        return new ProjectJson(p.getId(), p.getName(), p.getDescription(), p.getTags(), p.isArchived(),
                p.getCreatedAt(), p.getUpdatedAt());
    }
}
