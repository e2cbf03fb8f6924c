package dev.runway.api;

import dev.runway.project.Project;
import dev.runway.project.ProjectService;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A project's fields to create it, or to change some of them ({@code PATCH}: a field left out keeps its value). The
 * service checks the name (unique in the company), the tags and their limits, as the console's dialog does.
 */
@Schema(name = "ProjectRequest", example = "{\"name\": \"Churn\", \"description\": \"Who leaves, and why\", "
        + "\"tags\": [\"tabular\", \"q3\"]}")
public record ProjectRequest(
        String name,
        String description,
        List<String> tags) {

    /** The form for a new project: what is left out is empty. */
    ProjectService.ProjectForm toNew() {
        return new ProjectService.ProjectForm(name, description, tags == null ? null : String.join(",", tags), false);
    }

    /** The form for {@code project} with this request's fields over its own. */
    ProjectService.ProjectForm over(Project project) {
        return new ProjectService.ProjectForm(name != null ? name : project.getName(),
                description != null ? description : project.getDescription(),
                String.join(",", tags != null ? tags : project.getTags()), project.isPreviewEnabled());
    }
}
