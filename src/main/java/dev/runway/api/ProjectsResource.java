package dev.runway.api;

import dev.runway.dataset.DatasetService;
import dev.runway.base.BadInputException;
import dev.runway.base.Keyset;
import dev.runway.base.NotFoundException;
import dev.runway.model.ModelLifecycle;
import dev.runway.model.ModelService;
import dev.runway.model.ModelVersion;
import dev.runway.project.Project;
import dev.runway.project.ProjectService;
import dev.runway.training.RunService;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

/**
 * Projects and what hangs off them: datasets (and uploads into them by name), runs, model versions and which of them
 * is (or was) in Production.
 */
@Path("/projects")
@Produces(MediaType.APPLICATION_JSON)
@ActsForKey
@Tag(name = "Projects")
public class ProjectsResource {

    @Inject
    ProjectService projects;

    @Inject
    DatasetService datasets;

    @Inject
    RunService runs;

    @Inject
    ModelService models;

    @Inject
    ModelLifecycle lifecycle;

    @Inject
    Uploads uploads;

    @GET
    @Operation(summary = "List projects", description = "Active projects by name, or archived ones; paged")
    @APIResponse(responseCode = "200", description = "A page of projects")
    public ListPage<ProjectJson> listProjects(
            @QueryParam("search") @Parameter(description = "part of a name, description or tag") String search,
            @QueryParam("archived") @DefaultValue("false") boolean archived, @BeanParam Paging paging) {
        Paging.Request page = paging.of("projects");
        return page.page(projects.listByName(search, archived, page.after(), page.fetch()),
                p -> new Keyset(p.getName(), p.getId()), ProjectJson::of);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create a project", description = "Its name is unique in the company; tags are lower-cased")
    @APIResponse(responseCode = "201", description = "The new project; Location names it",
            content = @Content(schema = @Schema(implementation = ProjectJson.class)))
    @APIResponse(responseCode = "400", description = "A name missing, taken or too long, or too many tags",
            content = @Content(mediaType = "application/problem+json",
                    schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "403", description = "The key's role may not manage projects")
    public Response createProject(@Valid @NotNull ProjectRequest request) {
        Project project = projects.create(request.toNew());
        return Created.at("/api/v1/projects/" + project.getId()).entity(ProjectJson.of(project))
                .header(HttpHeaders.ETAG, project.etag()).build();
    }

    @PATCH
    @Path("/{projectId}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Change a project's name, description or tags",
            description = "Only the fields sent change; `tags` replaces the whole list")
    @APIResponse(responseCode = "200", description = "The project as it now is",
            headers = @Header(name = "ETag", description = Tagged.DESCRIPTION),
            content = @Content(schema = @Schema(implementation = ProjectJson.class)))
    @APIResponse(responseCode = "400", description = "A name taken or too long, or too many tags")
    @APIResponse(responseCode = "403", description = "The key's role may not manage projects")
    @APIResponse(responseCode = "404", description = "No such project in this company")
    @APIResponse(responseCode = "412", description = "If-Match is not the project's current ETag: it was changed "
            + "since it was read; nothing was changed", content = @Content(mediaType = "application/problem+json",
                    schema = @Schema(implementation = Problem.class)))
    public Response updateProject(@PathParam("projectId") long projectId,
            @HeaderParam(Tagged.IF_MATCH) @Parameter(description = "the ETag of the project as last read: the change "
                    + "is made only if it still is") String ifMatch,
            @Valid @NotNull ProjectRequest request) {
        Project project = projects.update(projectId, ifMatch, request::over);
        return Tagged.ok(ProjectJson.of(project), project.etag());
    }

    @POST
    @Path("/{projectId}/archive")
    @Operation(summary = "Archive a project", description = "It leaves the active list; its data stays. Idempotent")
    @APIResponse(responseCode = "200", description = "The project, archived")
    @APIResponse(responseCode = "403", description = "The key's role may not manage projects")
    @APIResponse(responseCode = "404", description = "No such project in this company")
    public ProjectJson archiveProject(@PathParam("projectId") long projectId) {
        projects.archive(projectId);
        return ProjectJson.of(projects.get(projectId));
    }

    @POST
    @Path("/{projectId}/restore")
    @Operation(summary = "Restore an archived project to the active list", description = "Idempotent")
    @APIResponse(responseCode = "200", description = "The project, active")
    @APIResponse(responseCode = "403", description = "The key's role may not manage projects")
    @APIResponse(responseCode = "404", description = "No such project in this company")
    public ProjectJson restoreProject(@PathParam("projectId") long projectId) {
        projects.restore(projectId);
        return ProjectJson.of(projects.get(projectId));
    }

    @GET
    @Path("/{projectId}")
    @Operation(summary = "One project")
    @APIResponse(responseCode = "200", description = "The project",
            headers = @Header(name = "ETag", description = Tagged.DESCRIPTION),
            content = @Content(schema = @Schema(implementation = ProjectJson.class)))
    @APIResponse(responseCode = "404", description = "No such project in this company")
    public Response getProject(@PathParam("projectId") long projectId) {
        Project project = projects.get(projectId);
        return Tagged.ok(ProjectJson.of(project), project.etag());
    }

    @GET
    @Path("/{projectId}/datasets")
    @Operation(summary = "The project's datasets by name, each with its latest version; paged")
    @APIResponse(responseCode = "200", description = "A page of datasets")
    public ListPage<DatasetJson> listDatasets(@PathParam("projectId") long projectId, @BeanParam Paging paging) {
        projects.get(projectId);
        Paging.Request page = paging.of("datasets");
        return page.page(datasets.list(projectId, page.after(), page.fetch()),
                s -> new Keyset(s.dataset().getName(), s.dataset().getId()), s -> new DatasetJson(s.dataset().getId(),
                        s.dataset().getProjectId(), s.dataset().getName(), s.dataset().getCreatedAt(),
                        s.latest() == null ? null : uploads.json(s.latest()), null));
    }

    @POST
    @Path("/{projectId}/datasets/{name}/versions")
    @Consumes({"text/csv", MediaType.TEXT_PLAIN, MediaType.APPLICATION_OCTET_STREAM})
    @Operation(summary = "Upload a CSV as a new version of the dataset named {name}",
            description = "Creates the dataset on its first upload. The body is the CSV itself (UTF-8, with a header "
                    + "row); it is profiled and stored, or refused whole with the line that is wrong.")
    @RequestBody(description = "the CSV file", required = true, content = {
        @Content(mediaType = "text/csv", schema = @Schema(type = SchemaType.STRING), example = Uploads.CSV_EXAMPLE),
        @Content(mediaType = MediaType.TEXT_PLAIN, schema = @Schema(type = SchemaType.STRING),
                example = Uploads.CSV_EXAMPLE),
        @Content(mediaType = MediaType.APPLICATION_OCTET_STREAM,
                schema = @Schema(type = SchemaType.STRING, format = "binary"))})
    @APIResponse(responseCode = "201", description = "The new version",
            content = @Content(schema = @Schema(implementation = DatasetVersionJson.class)))
    @APIResponse(responseCode = "200", description = "The bytes are identical to this existing version, which was kept "
            + "(existing: true); ?force=true adds them as a new version",
            content = @Content(schema = @Schema(implementation = DatasetVersionJson.class)))
    @APIResponse(responseCode = "400", description = "Not a usable CSV, or too large")
    @APIResponse(responseCode = "403", description = "The key's role may not change datasets")
    public Response uploadCsvByName(@PathParam("projectId") long projectId, @PathParam("name") String name,
            @QueryParam("filename") String filename, @QueryParam("force") boolean force, InputStream body)
            throws IOException {
        return uploads.answer(uploads.upload(projectId, name, filename, body, force), name);
    }

    @POST
    @Path("/{projectId}/datasets/{name}/versions")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Operation(summary = "Upload a CSV (multipart form, part \"file\") as a new version of the dataset named {name}")
    @APIResponse(responseCode = "201", description = "The new version",
            content = @Content(schema = @Schema(implementation = DatasetVersionJson.class)))
    @APIResponse(responseCode = "200", description = "Identical to this existing version, which was kept",
            content = @Content(schema = @Schema(implementation = DatasetVersionJson.class)))
    public Response uploadFormByName(@PathParam("projectId") long projectId, @PathParam("name") String name,
            @RestForm("file") FileUpload file, @QueryParam("force") boolean force) throws IOException {
        return uploads.answer(uploads.upload(projectId, name, file, force), name);
    }

    @GET
    @Path("/{projectId}/runs")
    @Operation(summary = "The project's runs, newest first; paged")
    @APIResponse(responseCode = "200", description = "A page of runs")
    public ListPage<RunJson> listRuns(@PathParam("projectId") long projectId, @BeanParam Paging paging) {
        projects.get(projectId);
        Paging.Request page = paging.of("runs");
        return page.page(runs.list(new RunService.Filter(projectId, null, null), page.after(), page.fetch()),
                r -> new Keyset(r.getCreatedAt().toString(), r.getId()), r -> RunJson.of(r, null, null));
    }

    @GET
    @Path("/{projectId}/models")
    @Operation(summary = "The project's model versions, newest first, with their test metrics; paged")
    @APIResponse(responseCode = "200", description = "A page of model versions")
    public ListPage<ModelVersionJson> listModelVersions(@PathParam("projectId") long projectId,
            @BeanParam Paging paging) {
        projects.get(projectId);
        Paging.Request page = paging.of("models");
        List<ModelVersion> versions = models.list(projectId, page.after(), page.fetch());
        Map<Long, List<String>> aliases = lifecycle.aliases(versions.stream().map(ModelVersion::getId).toList());
        return page.page(versions, m -> new Keyset(m.getCreatedAt().toString(), m.getId()),
                m -> ModelVersionJson.of(m, aliases.get(m.getId())));
    }

    @GET
    @Path("/{projectId}/models/production")
    @Operation(summary = "The version in Production, now or at an instant",
            description = "Answered from the history of stage changes: the version that was in Production at `at`.")
    @APIResponse(responseCode = "200", description = "The version")
    @APIResponse(responseCode = "400", description = "`at` is not an ISO-8601 instant")
    @APIResponse(responseCode = "404", description = "No such project, or no version was in Production then")
    public ModelVersionJson production(@PathParam("projectId") long projectId,
            @QueryParam("at") @Parameter(description = "an ISO-8601 instant, e.g. 2026-11-29T10:15:30Z; now when "
                    + "left out") String at) {
        projects.get(projectId);
        Optional<ModelVersion> version;
        if (at == null || at.isBlank()) {
            version = lifecycle.production(projectId);
        } else {
            Instant instant;
            try {
                instant = Instant.parse(at.strip());
            } catch (DateTimeParseException e) {
                throw new BadInputException("at", "“at” must be an ISO-8601 instant such as 2026-11-29T10:15:30Z");
            }
            version = lifecycle.productionAt(projectId, instant);
        }
        ModelVersion found = version.orElseThrow(() -> new NotFoundException(
                at == null || at.isBlank() ? "A version in Production" : "A version in Production at " + at.strip()));
        return ModelVersionJson.of(found, lifecycle.aliases(found.getId()));
    }

    @POST
    @Path("/{projectId}/models/rollback")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Put the previous Production version back into Production (the current one is archived)")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = LifecycleRequests.WithComment.class)))
    @APIResponse(responseCode = "200", description = "The version now in Production")
    @APIResponse(responseCode = "400", description = "No comment, or no earlier Production version")
    @APIResponse(responseCode = "403", description = "A role that may not move versions to Production")
    public ModelVersionJson rollback(@PathParam("projectId") long projectId,
            @Valid @NotNull(message = LifecycleRequests.SEND_COMMENT) LifecycleRequests.WithComment body) {
        ModelVersion version = lifecycle.rollback(projectId, body.comment());
        return ModelVersionJson.of(version, lifecycle.aliases(version.getId()));
    }
}
