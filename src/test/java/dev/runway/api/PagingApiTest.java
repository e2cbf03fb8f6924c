package dev.runway.api;

import static dev.runway.api.ApiClient.allIds;
import static dev.runway.api.ApiClient.assertField;
import static dev.runway.api.ApiClient.get;
import static dev.runway.api.ApiClient.key;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runway.collaboration.CommentFixture;
import dev.runway.collaboration.CommentService;
import dev.runway.collaboration.CommentSubject;
import dev.runway.dataset.DatasetService;
import dev.runway.project.ProjectService;
import dev.runway.tenancy.Actor;
import dev.runway.tenancy.Role;
import dev.runway.tenancy.TenantContext;
import dev.runway.testing.TenancyFixture;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Keyset paging of the API's lists: limit, an opaque cursor, next; stable while rows are added. */
@QuarkusTest
class PagingApiTest {

    @Inject
    TenancyFixture tenancy;

    @Inject
    ApiKeyService keys;

    @Inject
    ProjectService projects;

    @Inject
    CommentFixture comments;

    @Inject
    CommentService commentService;

    @Inject
    DatasetService datasets;

    private long project(Actor owner, String name) {
        return ApiClient.project(projects, owner, name);
    }

    @Test
    void projects_are_paged_by_name_and_rows_added_meanwhile_shift_no_page() {
        TenancyFixture.Company company = tenancy.company();
        String key = key(keys, company.owner(), Role.VIEWER);
        List<Long> ids = new ArrayList<>();
        for (String name : List.of("bravo", "Charlie", "delta", "echo", "Foxtrot")) {
            ids.add(project(company.owner(), name));
        }

        ApiClient.Reply first = get("/api/v1/projects?limit=2", key);
        assertThat(first.ids()).containsExactly(ids.get(0), ids.get(1));
        assertThat(first.next()).isNotBlank();
        // A project that sorts before the cursor and one that sorts after it arrive between two pages.
        project(company.owner(), "alpha");
        long golf = project(company.owner(), "golf");

        ApiClient.Reply second = get("/api/v1/projects?limit=2&cursor=" + first.next(), key);
        assertThat(second.ids()).containsExactly(ids.get(2), ids.get(3));
        ApiClient.Reply last = get("/api/v1/projects?limit=2&cursor=" + second.next(), key);
        assertThat(last.ids()).containsExactly(ids.get(4), golf);
        assertThat(last.json().has("next")).isFalse();

        assertThat(allIds("/api/v1/projects", key, 3)).hasSize(7).doesNotHaveDuplicates();
        assertThat(get("/api/v1/projects", key).ids()).hasSize(7);
    }

    @Test
    void comments_are_paged_oldest_first_and_one_added_while_paging_comes_last_once() {
        CommentFixture.Subjects subjects = comments.subjects();
        Actor owner = subjects.company().owner();
        String key = key(keys, owner, Role.VIEWER);
        List<Long> written = IntStream.range(0, 7).mapToObj(i -> TenantContext.runAs(owner,
                () -> commentService.add(CommentSubject.Type.RUN, subjects.runId(), "note " + i).id())).toList();
        String path = "/api/v1/runs/" + subjects.runId() + "/comments";

        ApiClient.Reply first = get(path + "?limit=3", key);
        assertThat(first.ids()).containsExactlyElementsOf(written.subList(0, 3));
        long added = TenantContext.runAs(owner,
                () -> commentService.add(CommentSubject.Type.RUN, subjects.runId(), "late").id());
        List<Long> rest = new ArrayList<>(first.ids());
        rest.addAll(allIds(path, key, 3, first.next()));
        List<Long> expected = new ArrayList<>(written);
        expected.add(added);
        assertThat(rest).containsExactlyElementsOf(expected);
    }

    @Test
    void dataset_versions_are_paged_newest_first_and_a_version_uploaded_meanwhile_shifts_no_page() {
        TenancyFixture.Company company = tenancy.company();
        String key = key(keys, company.owner(), Role.VIEWER);
        long project = project(company.owner(), "Data");
        List<Long> versions = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            versions.add(upload(company.owner(), project, i));
        }
        long dataset = TenantContext.runAs(company.owner(), () -> datasets.version(versions.get(0)).getDatasetId());
        String path = "/api/v1/datasets/" + dataset + "/versions";

        ApiClient.Reply first = get(path + "?limit=2", key);
        assertThat(first.ids()).containsExactly(versions.get(2), versions.get(1));
        upload(company.owner(), project, 3);
        ApiClient.Reply last = get(path + "?limit=2&cursor=" + first.next(), key);
        assertThat(last.ids()).containsExactly(versions.get(0));
        assertThat(last.next()).isNull();
        assertThat(allIds(path, key, 1)).hasSize(4).doesNotHaveDuplicates();
    }

    @Test
    void every_list_in_the_openapi_document_takes_limit_and_cursor() {
        JsonNode paths = get("/q/openapi?format=json", null).json().get("paths");
        for (String list : List.of("/api/v1/projects", "/api/v1/projects/{projectId}/datasets",
                "/api/v1/projects/{projectId}/runs", "/api/v1/projects/{projectId}/models",
                "/api/v1/datasets/{datasetId}/versions", "/api/v1/runs/{runId}/comments", "/api/v1/budget/funding",
                "/api/v1/budget/spend", "/api/v1/budget/compute", "/api/v1/schedules", "/api/v1/team/members",
                "/api/v1/team/invitations")) {
            assertThat(paths.has(list)).as(list).isTrue();
            assertThat(paths.get(list).get("get").get("parameters").findValuesAsText("name")).as(list)
                    .contains("limit", "cursor");
        }
        // Each list's page schema names its own item type.
        JsonNode schemas = get("/q/openapi?format=json", null).json().get("components").get("schemas");
        for (String list : List.of("/api/v1/projects", "/api/v1/budget/funding", "/api/v1/team/members")) {
            String page = paths.get(list).get("get").get("responses").get("200").get("content")
                    .get("application/json").get("schema").get("$ref").asText().replace("#/components/schemas/", "");
            assertThat(schemas.get(page).get("properties").get("items").get("items").get("$ref").asText()).as(list)
                    .endsWith(Map.of("/api/v1/projects", "/Project", "/api/v1/budget/funding", "/Funding",
                            "/api/v1/team/members", "/Member").get(list));
        }
    }

    private long upload(Actor owner, long project, int n) {
        return TenantContext.runAs(owner, () -> {
            try {
                return datasets.upload(project, "numbers", "numbers.csv", new ByteArrayInputStream(("x,y\n" + n
                        + ",1\n2,3\n").getBytes(StandardCharsets.UTF_8))).getId();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    @Test
    void a_bad_limit_or_cursor_is_a_400_naming_it_and_a_cursor_of_another_company_shows_only_ones_own_rows() {
        TenancyFixture.Company a = tenancy.company();
        TenancyFixture.Company b = tenancy.company();
        String keyA = key(keys, a.owner(), Role.VIEWER);
        String keyB = key(keys, b.owner(), Role.VIEWER);
        long projectA = project(a.owner(), "one");
        project(a.owner(), "two");
        project(a.owner(), "three");
        long ownB = project(b.owner(), "zulu");

        for (String limit : List.of("0", "201", "ten", "-1")) {
            assertField(get("/api/v1/projects?limit=" + limit, keyA), "limit");
        }
        assertField(get("/api/v1/projects?cursor=not-a-cursor", keyA), "cursor");
        String forged = Base64.getUrlEncoder().withoutPadding().encodeToString("[\"runs\",\"x\",1]".getBytes());
        assertField(get("/api/v1/projects?cursor=" + forged, keyA), "cursor");
        // The list's own name, but a key that is not an instant.
        assertField(get("/api/v1/projects/" + projectA + "/runs?cursor=" + forged, keyA), "cursor");

        String cursorOfA = get("/api/v1/projects?limit=1", keyA).next();
        assertThat(get("/api/v1/projects?cursor=" + cursorOfA, keyB).ids()).containsExactly(ownB);
        List<Long> all = allIds("/api/v1/projects", keyA, 200);
        assertThat(all).hasSize(3);
    }
}
