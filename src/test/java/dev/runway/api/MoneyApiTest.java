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
import dev.runway.budget.BudgetService;
import dev.runway.project.ProjectService;
import dev.runway.tenancy.Role;
import dev.runway.tenancy.TenantContext;
import dev.runway.testing.TenancyFixture;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** Funding, actual spend, the plan, compute budgets and cash / burn / runway through /api/v1/budget. */
@QuarkusTest
class MoneyApiTest {

    @Inject
    TenancyFixture tenancy;

    @Inject
    ApiKeyService keys;

    @Inject
    BudgetService budget;

    @Inject
    ProjectService projects;

    private static LocalDate today() {
        return LocalDate.now(ZoneOffset.UTC);
    }

    @Test
    void funding_and_spend_are_recorded_changed_and_deleted_and_the_summary_is_the_budget_pages() {
        TenancyFixture.Company company = tenancy.company();
        String billing = key(keys, company.owner(), Role.BILLING);
        LocalDate monthsAgo = today().minusMonths(3).withDayOfMonth(1);

        ApiClient.Reply seed = post("/api/v1/budget/funding", billing, "{\"kind\": \"VENTURE\", \"amount\": "
                + "100000, \"receivedOn\": \"" + monthsAgo + "\", \"note\": \"Seed\"}");
        assertThat(seed.status()).as(seed.text()).isEqualTo(201);
        long seedId = seed.json().get("id").asLong();
        assertThat(seed.json().get("currency").asText()).isEqualTo("USD");
        ApiClient.Reply grant = post("/api/v1/budget/funding", billing, "{\"kind\": \"grant\", \"amount\": 5000, "
                + "\"receivedOn\": \"" + monthsAgo.plusDays(1) + "\"}");
        assertThat(grant.status()).as(grant.text()).isEqualTo(201);
        String grantPath = "/api/v1/budget/funding/" + grant.json().get("id").asLong();
        String etag = get(grantPath, billing).etag();
        assertThat(etag).startsWith("\"");
        ApiClient.Reply patched = send("PATCH", grantPath, billing, "{\"amount\": 6000.5}", etag);
        assertThat(patched.status()).as(patched.text()).isEqualTo(200);
        assertThat(patched.etag()).isNotEqualTo(etag).isEqualTo(get(grantPath, billing).etag());
        // Sent with the tag read before that change: refused, and nothing changes.
        assertProblem(send("PATCH", grantPath, billing, "{\"amount\": 1}", etag), 412, "precondition-failed");
        assertThat(get(grantPath, billing).json().get("amount").decimalValue()).isEqualByComparingTo("6000.50");
        assertThat(patched.json().get("amount").decimalValue()).isEqualByComparingTo("6000.50");
        assertThat(patched.json().get("kind").asText()).isEqualTo("GRANT");

        long firstSpend = 0;
        for (int month = 1; month <= 3; month++) {
            ApiClient.Reply spent = post("/api/v1/budget/spend", billing, "{\"spentOn\": \""
                    + monthsAgo.plusMonths(month - 1).plusDays(2) + "\", \"category\": \"PEOPLE\", "
                    + "\"amount\": 10000}");
            assertThat(spent.status()).as(spent.text()).isEqualTo(201);
            assertThat(spent.json().get("source").asText()).isEqualTo("MANUAL");
            firstSpend = firstSpend == 0 ? spent.json().get("id").asLong() : firstSpend;
        }
        String spendPath = "/api/v1/budget/spend/" + firstSpend;
        ApiClient.Reply noted = send("PATCH", spendPath, billing, "{\"note\": \"Salaries\"}");
        assertThat(noted.json().get("note").asText()).isEqualTo("Salaries");
        assertThat(noted.json().get("amount").decimalValue()).isEqualByComparingTo("10000");
        assertProblem(send("PATCH", spendPath, billing, "{\"note\": \"x\"}", "\"stale\""), 412,
                "precondition-failed");

        JsonNode summary = get("/api/v1/budget", key(keys, company.owner(), Role.VIEWER)).json();
        BudgetService.Summary expected = TenantContext.runAs(company.owner(), () -> budget.summary());
        assertThat(summary.get("cashOnHand").decimalValue()).isEqualByComparingTo("76000.50")
                .isEqualByComparingTo(expected.cashOnHand());
        assertThat(summary.get("monthlyBurn").decimalValue()).isPositive()
                .isEqualByComparingTo(expected.burn().amount());
        assertThat(summary.get("runwayMonths").decimalValue())
                .isEqualByComparingTo(expected.runwayMonths().orElseThrow());
        assertThat(summary.get("currency").asText()).isEqualTo("USD");

        assertThat(allIds("/api/v1/budget/funding", billing, 1)).hasSize(2).startsWith(grant.json().get("id")
                .asLong());
        assertThat(allIds("/api/v1/budget/spend", billing, 2)).hasSize(3).doesNotHaveDuplicates();
        assertThat(get("/api/v1/budget/spend?month=" + YearMonth.from(monthsAgo), billing).ids()).hasSize(1);

        assertThat(send("DELETE", "/api/v1/budget/funding/" + seedId, billing, null).status()).isEqualTo(204);
        assertProblem(get("/api/v1/budget/funding/" + seedId, billing), 404, "not-found");
    }

    @Test
    void bad_money_input_is_a_400_naming_the_field_and_nothing_is_saved() {
        TenancyFixture.Company company = tenancy.company();
        String billing = key(keys, company.owner(), Role.BILLING);
        String on = "\"receivedOn\": \"" + today() + "\"";

        assertField(post("/api/v1/budget/funding", billing, "{\"kind\": \"LOTTERY\", \"amount\": 5, " + on + "}"),
                "kind");
        assertField(post("/api/v1/budget/funding", billing, "{\"amount\": 5, " + on + "}"), "kind");
        assertField(post("/api/v1/budget/funding", billing, "{\"kind\": \"GRANT\", \"amount\": -5, " + on + "}"),
                "amount");
        assertField(post("/api/v1/budget/funding", billing, "{\"kind\": \"GRANT\", \"amount\": 5, \"receivedOn\": \""
                + today().plusDays(3) + "\"}"), "receivedOn");
        assertField(post("/api/v1/budget/funding", billing, "{\"kind\": \"GRANT\", \"amount\": 5, "
                + "\"currency\": \"EUR\", " + on + "}"), "currency");
        assertField(post("/api/v1/budget/spend", billing, "{\"spentOn\": \"" + today() + "\", \"category\": "
                + "\"PEOPLE\", \"amount\": \"lots\"}"), "amount");
        assertField(get("/api/v1/budget/spend?month=November", billing), "month");
        assertThat(get("/api/v1/budget/funding", billing).ids()).isEmpty();

        String month = "/api/v1/budget/plan/" + YearMonth.from(today());
        assertField(send("PUT", month, billing, "{\"COMPUTE\": 100, \"LUNCH\": 5}"), "LUNCH");
        assertField(send("PUT", month, billing, "{\"COMPUTE\": -100}"), "COMPUTE");
        assertField(send("PUT", "/api/v1/budget/plan/2026-13", billing, "{\"COMPUTE\": 100}"), "month");
        assertThat(get(month, billing).json().get("lines").findValuesAsText("planned"))
                .allMatch(p -> Double.parseDouble(p) == 0);

        assertField(send("PUT", "/api/v1/budget/compute/company", billing, "{\"thresholds\": [50]}"), "monthlyLimit");
        assertField(send("PUT", "/api/v1/budget/compute/company", billing, "{\"monthlyLimit\": 100, "
                + "\"thresholds\": [150]}"), "thresholds");
        assertThat(get("/api/v1/budget/compute", billing).ids()).isEmpty();
    }

    @Test
    void the_plan_and_compute_budgets_are_set_by_budget_managers_and_read_by_every_member() {
        TenancyFixture.Company company = tenancy.company();
        TenancyFixture.Company other = tenancy.company();
        String billing = key(keys, company.owner(), Role.BILLING);
        String engineer = key(keys, company.owner(), Role.ENGINEER);
        long project = ApiClient.project(projects, company.owner(), "Vision");
        long foreignProject = ApiClient.project(projects, other.owner(), "Theirs");
        String month = "/api/v1/budget/plan/" + YearMonth.from(today());

        ApiClient.Reply plan = send("PUT", month, billing, "{\"compute\": 2000, \"PEOPLE\": 45000}");
        assertThat(plan.status()).as(plan.text()).isEqualTo(200);
        JsonNode lines = get(month, engineer).json().get("lines");
        assertThat(lines.findValuesAsText("category")).contains("COMPUTE", "PEOPLE");
        lines.forEach(line -> {
            if (line.get("category").asText().equals("COMPUTE")) {
                assertThat(line.get("planned").decimalValue()).isEqualByComparingTo("2000");
            }
        });
        assertProblem(send("PUT", month, engineer, "{\"COMPUTE\": 1}"), 403, "forbidden");
        String planTag = get(month, engineer).etag();
        ApiClient.Reply replanned = send("PUT", month, billing, "{\"COMPUTE\": 2500}", planTag);
        assertThat(replanned.status()).as(replanned.text()).isEqualTo(200);
        assertThat(replanned.etag()).isNotEqualTo(planTag);
        assertProblem(send("PUT", month, billing, "{\"COMPUTE\": 9}", planTag), 412, "precondition-failed");

        ApiClient.Reply companyWide = send("PUT", "/api/v1/budget/compute/company", billing,
                "{\"monthlyLimit\": 500, \"thresholds\": [90, 50]}");
        assertThat(companyWide.status()).as(companyWide.text()).isEqualTo(200);
        assertThat(companyWide.json().get("thresholds").toString()).isEqualTo("[50,90]");
        assertThat(companyWide.json().has("projectId")).isFalse();
        ApiClient.Reply perProject = send("PUT", "/api/v1/budget/compute/projects/" + project, billing,
                "{\"monthlyLimit\": 100}");
        assertThat(perProject.status()).as(perProject.text()).isEqualTo(200);
        assertThat(perProject.json().get("scope").asText()).contains("Vision");
        assertThat(get("/api/v1/budget/compute/company", engineer).etag()).isEqualTo(companyWide.etag());
        ApiClient.Reply changed = send("PUT", "/api/v1/budget/compute/company", billing, "{\"monthlyLimit\": 750}",
                companyWide.etag());
        assertThat(changed.json().get("id").asLong()).isEqualTo(companyWide.json().get("id").asLong());
        assertThat(changed.json().get("monthlyLimit").decimalValue()).isEqualByComparingTo("750");
        assertProblem(send("PUT", "/api/v1/budget/compute/company", billing, "{\"monthlyLimit\": 1}",
                companyWide.etag()), 412, "precondition-failed");
        assertThat(get("/api/v1/budget/compute/company", engineer).json().get("monthlyLimit").decimalValue())
                .isEqualByComparingTo("750");
        assertProblem(send("PUT", "/api/v1/budget/compute/projects/" + foreignProject, billing,
                "{\"monthlyLimit\": 100}"), 404, "not-found");
        assertProblem(send("PUT", "/api/v1/budget/compute/company", engineer, "{\"monthlyLimit\": 1}"), 403,
                "forbidden");

        assertThat(allIds("/api/v1/budget/compute", engineer, 1)).containsExactly(
                companyWide.json().get("id").asLong(), perProject.json().get("id").asLong());
        assertProblem(send("DELETE", "/api/v1/budget/compute/" + perProject.json().get("id").asLong(), engineer,
                null), 403, "forbidden");
        assertThat(send("DELETE", "/api/v1/budget/compute/" + perProject.json().get("id").asLong(), billing, null)
                .status()).isEqualTo(204);
        assertThat(get("/api/v1/budget/compute", engineer).ids()).hasSize(1);
        assertProblem(get("/api/v1/budget/compute/projects/" + project, engineer), 404, "not-found");

        String otherKey = key(keys, other.owner(), Role.OWNER);
        assertProblem(send("DELETE", "/api/v1/budget/compute/" + companyWide.json().get("id").asLong(), otherKey,
                null), 404, "not-found");
        assertProblem(post("/api/v1/budget/funding", engineer, "{\"kind\": \"GRANT\", \"amount\": 5, "
                + "\"receivedOn\": \"" + today() + "\"}"), 403, "forbidden");
        assertThat(get("/api/v1/budget/compute", otherKey).ids()).isEmpty();
    }
}
