package dev.runway.api;

import static dev.runway.api.ApiClient.allIds;
import static dev.runway.api.ApiClient.assertField;
import static dev.runway.api.ApiClient.get;
import static dev.runway.api.ApiClient.key;
import static org.assertj.core.api.Assertions.assertThat;

import dev.runway.collaboration.CommentFixture;
import dev.runway.collaboration.CommentService;
import dev.runway.collaboration.CommentSubject;
import dev.runway.project.ProjectService;
import dev.runway.tenancy.Actor;
import dev.runway.tenancy.Role;
import dev.runway.tenancy.TenantContext;
import dev.runway.testing.TenancyFixture;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
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
