package dev.runway.api;

import static dev.runway.api.ApiClient.allIds;
import static dev.runway.api.ApiClient.assertField;
import static dev.runway.api.ApiClient.assertProblem;
import static dev.runway.api.ApiClient.get;
import static dev.runway.api.ApiClient.key;
import static dev.runway.api.ApiClient.post;
import static dev.runway.api.ApiClient.send;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runway.tenancy.Role;
import dev.runway.testing.TenancyFixture;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/** Members and roles (read) and invitations (create, revoke) through /api/v1/team. */
@QuarkusTest
class TeamApiTest {

    @Inject
    TenancyFixture tenancy;

    @Inject
    ApiKeyService keys;

    @Test
    void members_are_read_by_every_role_and_invitations_made_and_revoked_by_admins() {
        TenancyFixture.Company company = tenancy.company();
        TenancyFixture.Company other = tenancy.company();
        tenancy.member(company, Role.ANALYST);
        String admin = key(keys, company.owner(), Role.ADMIN);
        String viewer = key(keys, company.owner(), Role.VIEWER);

        JsonNode members = get("/api/v1/team/members", viewer).json().get("items");
        assertThat(members.findValuesAsText("role")).containsExactly("OWNER", "ANALYST");
        assertThat(members.get(0).get("email").asText()).isEqualTo(company.ownerEmail());
        assertThat(allIds("/api/v1/team/members", viewer, 1)).hasSize(2).doesNotHaveDuplicates();
        assertThat(get("/api/v1/team/members", key(keys, other.owner(), Role.VIEWER)).ids()).hasSize(1);

        String email = "ana-" + TenancyFixture.unique() + "@example.com";
        ApiClient.Reply invited = post("/api/v1/team/invitations", admin, "{\"email\": \"" + email
                + "\", \"role\": \"ENGINEER\"}");
        assertThat(invited.status()).as(invited.text()).isEqualTo(201);
        assertThat(invited.json().get("url").asText()).contains("/invitation/");
        long id = invited.json().get("id").asLong();
        ApiClient.Reply second = post("/api/v1/team/invitations", admin, "{\"email\": \"bo-"
                + TenancyFixture.unique() + "@example.com\", \"role\": \"VIEWER\"}");
        assertThat(allIds("/api/v1/team/invitations", viewer, 1))
                .containsExactly(second.json().get("id").asLong(), id);
        assertThat(get("/api/v1/team/invitations", viewer).text()).doesNotContain("/invitation/");

        assertProblem(post("/api/v1/team/invitations", viewer, "{\"email\": \"x@example.com\", \"role\": "
                + "\"VIEWER\"}"), 403, "forbidden");
        assertProblem(post("/api/v1/team/invitations", admin, "{\"email\": \"x@example.com\", \"role\": "
                + "\"OWNER\"}"), 403, "forbidden");
        assertField(post("/api/v1/team/invitations", admin, "{\"email\": \"not an address\", \"role\": "
                + "\"VIEWER\"}"), "email");
        assertField(post("/api/v1/team/invitations", admin, "{\"email\": \"x@example.com\", \"role\": "
                + "\"KING\"}"), "role");
        assertField(post("/api/v1/team/invitations", admin, "{\"email\": \"x@example.com\"}"), "role");
        assertField(post("/api/v1/team/invitations", admin, "{\"email\": \"" + company.ownerEmail()
                + "\", \"role\": \"VIEWER\"}"), "email");

        assertProblem(send("DELETE", "/api/v1/team/invitations/" + id, key(keys, other.owner(), Role.OWNER), null),
                404, "not-found");
        assertProblem(send("DELETE", "/api/v1/team/invitations/" + id, viewer, null), 403, "forbidden");
        assertThat(send("DELETE", "/api/v1/team/invitations/" + id, admin, null).status()).isEqualTo(204);
        assertProblem(send("DELETE", "/api/v1/team/invitations/" + id, admin, null), 400, "bad-input");
        assertThat(get("/api/v1/team/invitations", viewer).ids()).containsExactly(second.json().get("id").asLong());
    }
}
