package dev.runway.api;

import dev.runway.base.BadInputException;
import dev.runway.base.Keyset;
import dev.runway.base.NotFoundException;
import dev.runway.budget.ActualSpend;
import dev.runway.budget.BudgetService;
import dev.runway.budget.ComputeBudget;
import dev.runway.budget.ComputeBudgetService;
import dev.runway.budget.FundingService;
import dev.runway.budget.FundingSource;
import dev.runway.budget.SpendCategory;
import dev.runway.budget.SpendService;
import dev.runway.project.ProjectService;
import jakarta.inject.Inject;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.math.BigDecimal;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The company's money, as on the Budget page: cash, burn and runway; funding; the monthly spending plan against
 * actual spend; compute budgets. Every member reads; BILLING, ADMIN and OWNER change (the services check).
 */
@Path("/budget")
@Produces(MediaType.APPLICATION_JSON)
@ActsForKey
@Tag(name = "Money")
public class BudgetResource {

    private static final String SEND_JSON = "Send the fields as a JSON object";
    private static final String IF_MATCH = "the ETag as last read: the change is made only if it still is";
    private static final String STALE = "If-Match is not the current ETag: it was changed since it was read; "
            + "nothing was changed";
    private static final String NOT_MANAGER = "The key's role may not manage the budget (BILLING, ADMIN, OWNER)";

    @Inject
    BudgetService budget;

    @Inject
    FundingService funding;

    @Inject
    SpendService spend;

    @Inject
    ComputeBudgetService compute;

    @Inject
    ProjectService projects;

    @GET
    @Operation(summary = "Cash on hand, monthly burn and months of runway, as of today (UTC)")
    @APIResponse(responseCode = "200", description = "The summary")
    public BudgetJson.Summary summary() {
        return BudgetJson.Summary.of(budget.summary());
    }

    // ---- funding ----

    @GET
    @Path("/funding")
    @Operation(summary = "Funding sources, newest first; paged")
    @APIResponse(responseCode = "200", description = "A page of funding sources")
    public ListPage<BudgetJson.Funding> listFunding(@BeanParam Paging paging) {
        Paging.Request page = paging.of("funding");
        return page.page(funding.funding(page.after(), page.fetch()),
                f -> new Keyset(f.getReceivedOn().toString(), f.getId()), BudgetJson.Funding::of);
    }

    @GET
    @Path("/funding/{fundingId}")
    @Operation(summary = "One funding source")
    @APIResponse(responseCode = "404", description = "No such funding source in this company")
    @APIResponse(responseCode = "200", description = "The funding source", headers = @Header(name = "ETag",
            description = Tagged.DESCRIPTION), content = @Content(schema = @Schema(
                    implementation = BudgetJson.Funding.class)))
    public Response getFunding(@PathParam("fundingId") long fundingId) {
        FundingSource source = funding.fundingSource(fundingId);
        return Tagged.ok(BudgetJson.Funding.of(source), source.etag());
    }

    @POST
    @Path("/funding")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Record funding received", description = "kind, amount (above 0, in the book currency) "
            + "and receivedOn (today or earlier) are required")
    @APIResponse(responseCode = "201", description = "The funding source; Location names it",
            content = @Content(schema = @Schema(implementation = BudgetJson.Funding.class)))
    @APIResponse(responseCode = "400", description = "Bad input: the problem's errors name the field")
    @APIResponse(responseCode = "403", description = NOT_MANAGER)
    public Response addFunding(@NotNull(message = SEND_JSON) BudgetJson.FundingRequest request) {
        FundingSource created = funding.addFunding(request.toNew());
        return Created.at("/api/v1/budget/funding/" + created.getId()).entity(BudgetJson.Funding.of(created))
                .build();
    }

    @PATCH
    @Path("/funding/{fundingId}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Change some of a funding source's fields", description = "Fields left out keep their value")
    @APIResponse(responseCode = "200", description = "The funding source as it now is",
            content = @Content(schema = @Schema(implementation = BudgetJson.Funding.class)))
    @APIResponse(responseCode = "400", description = "Bad input: the problem's errors name the field")
    @APIResponse(responseCode = "403", description = NOT_MANAGER)
    @APIResponse(responseCode = "404", description = "No such funding source in this company")
    @APIResponse(responseCode = "412", description = STALE, content = @Content(
            mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    public Response updateFunding(@PathParam("fundingId") long fundingId,
            @HeaderParam(Tagged.IF_MATCH) @Parameter(description = IF_MATCH) String ifMatch,
            @NotNull(message = SEND_JSON) BudgetJson.FundingRequest request) {
        FundingSource changed = funding.updateFunding(fundingId, ifMatch, request::over);
        return Tagged.ok(BudgetJson.Funding.of(changed), changed.etag());
    }

    @DELETE
    @Path("/funding/{fundingId}")
    @Operation(summary = "Delete a funding source")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "403", description = NOT_MANAGER)
    @APIResponse(responseCode = "404", description = "No such funding source in this company")
    public void deleteFunding(@PathParam("fundingId") long fundingId) {
        funding.deleteFunding(fundingId);
    }

    // ---- actual spend ----

    @GET
    @Path("/spend")
    @Operation(summary = "Actual spend, newest first; paged", description = "Entered by people (source MANUAL) and "
            + "compute posted by billing (source BILLING, read-only)")
    @APIResponse(responseCode = "200", description = "A page of spend entries")
    @APIResponse(responseCode = "400", description = "month is not YYYY-MM")
    public ListPage<BudgetJson.Spend> listSpend(
            @QueryParam("month") @Parameter(description = "YYYY-MM; left out: every month") String month,
            @BeanParam Paging paging) {
        YearMonth of = month == null || month.isBlank() ? null : month(month);
        Paging.Request page = paging.of("spend");
        Currency currency = budget.currency();
        return page.page(spend.actuals(of, page.after(), page.fetch()),
                a -> new Keyset(a.getSpentOn().toString(), a.getId()), a -> BudgetJson.Spend.of(a, currency));
    }

    @GET
    @Path("/spend/{spendId}")
    @Operation(summary = "One spend entry")
    @APIResponse(responseCode = "404", description = "No such entry in this company")
    @APIResponse(responseCode = "200", description = "The entry", headers = @Header(name = "ETag",
            description = Tagged.DESCRIPTION), content = @Content(schema = @Schema(
                    implementation = BudgetJson.Spend.class)))
    public Response getSpend(@PathParam("spendId") long spendId) {
        ActualSpend entry = spend.actual(spendId);
        return Tagged.ok(BudgetJson.Spend.of(entry, budget.currency()), entry.etag());
    }

    @POST
    @Path("/spend")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Record actual spend", description = "spentOn (today or earlier), category and amount "
            + "(above 0, in the book currency) are required; projectId is optional")
    @APIResponse(responseCode = "201", description = "The entry; Location names it",
            content = @Content(schema = @Schema(implementation = BudgetJson.Spend.class)))
    @APIResponse(responseCode = "400", description = "Bad input: the problem's errors name the field")
    @APIResponse(responseCode = "403", description = NOT_MANAGER)
    public Response addSpend(@NotNull(message = SEND_JSON) BudgetJson.SpendRequest request) {
        ActualSpend created = spend.addActual(request.toNew());
        return Created.at("/api/v1/budget/spend/" + created.getId())
                .entity(BudgetJson.Spend.of(created, budget.currency())).build();
    }

    @PATCH
    @Path("/spend/{spendId}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Change some of an entry's fields", description = "Fields left out keep their value; "
            + "billing's entries are read-only (400)")
    @APIResponse(responseCode = "200", description = "The entry as it now is",
            content = @Content(schema = @Schema(implementation = BudgetJson.Spend.class)))
    @APIResponse(responseCode = "400", description = "Bad input, or an entry posted by billing")
    @APIResponse(responseCode = "403", description = NOT_MANAGER)
    @APIResponse(responseCode = "404", description = "No such entry in this company")
    @APIResponse(responseCode = "412", description = STALE, content = @Content(
            mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    public Response updateSpend(@PathParam("spendId") long spendId,
            @HeaderParam(Tagged.IF_MATCH) @Parameter(description = IF_MATCH) String ifMatch,
            @NotNull(message = SEND_JSON) BudgetJson.SpendRequest request) {
        ActualSpend changed = spend.updateActual(spendId, ifMatch, request::over);
        return Tagged.ok(BudgetJson.Spend.of(changed, budget.currency()), changed.etag());
    }

    @DELETE
    @Path("/spend/{spendId}")
    @Operation(summary = "Delete an entry (billing's entries are read-only)")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "403", description = NOT_MANAGER)
    @APIResponse(responseCode = "404", description = "No such entry in this company")
    public void deleteSpend(@PathParam("spendId") long spendId) {
        spend.deleteActual(spendId);
    }

    // ---- the spending plan ----

    @GET
    @Path("/plan/{month}")
    @Operation(summary = "A month's plan against actual spend, per category")
    @APIResponse(responseCode = "200", description = "The plan", headers = @Header(name = "ETag",
            description = Tagged.DESCRIPTION), content = @Content(schema = @Schema(
                    implementation = BudgetJson.Plan.class)))
    @APIResponse(responseCode = "400", description = "month is not YYYY-MM")
    public Response getPlan(@PathParam("month") String month) {
        return plan(month(month));
    }

    @PUT
    @Path("/plan/{month}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Set a month's planned amounts", description = "The body maps categories to amounts; "
            + "categories left out keep their amount, 0 clears one. Nothing is saved when one is wrong.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(
            example = "{\"COMPUTE\": 2000, \"PEOPLE\": 45000}")))
    @APIResponse(responseCode = "200", description = "The month's plan against actual spend, as saved",
            headers = @Header(name = "ETag", description = Tagged.DESCRIPTION), content = @Content(schema = @Schema(
                    implementation = BudgetJson.Plan.class)))
    @APIResponse(responseCode = "400", description = "An unknown category or a bad amount: errors name it")
    @APIResponse(responseCode = "403", description = NOT_MANAGER)
    @APIResponse(responseCode = "412", description = STALE, content = @Content(
            mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    public Response savePlan(@PathParam("month") String month,
            @HeaderParam(Tagged.IF_MATCH) @Parameter(description = IF_MATCH) String ifMatch,
            @NotNull(message = "Send the amounts as JSON, e.g. {\"COMPUTE\": 2000}") Map<String, BigDecimal> amounts) {
        YearMonth of = month(month);
        Map<SpendCategory, BigDecimal> byCategory = new LinkedHashMap<>();
        amounts.forEach((name, amount) -> byCategory.put(category(name), amount));
        spend.savePlan(of, ifMatch, byCategory);
        return plan(of);
    }

    private Response plan(YearMonth month) {
        return Tagged.ok(BudgetJson.Plan.of(month, budget.currency(), spend.planVsActual(month)),
                spend.planEtag(month));
    }

    // ---- compute budgets ----

    @GET
    @Path("/compute")
    @Operation(summary = "Compute budgets with this month's spend, in the order they were set; paged")
    @APIResponse(responseCode = "200", description = "A page of compute budgets")
    public ListPage<BudgetJson.ComputeBudget> listComputeBudgets(@BeanParam Paging paging) {
        Currency currency = budget.currency();
        return paging.of("compute-budgets").page(compute.computeBudgets(),
                s -> new Keyset("", s.budget().getId()), Comparator.comparingLong(Keyset::id),
                s -> BudgetJson.ComputeBudget.of(s, currency));
    }

    @GET
    @Path("/compute/company")
    @Operation(summary = "The company-wide monthly compute budget")
    @APIResponse(responseCode = "200", description = "The budget with this month's spend", headers = @Header(
            name = "ETag", description = Tagged.DESCRIPTION), content = @Content(schema = @Schema(
                    implementation = BudgetJson.ComputeBudget.class)))
    @APIResponse(responseCode = "404", description = "None is set")
    public Response getCompanyBudget() {
        return computeBudget(null);
    }

    @PUT
    @Path("/compute/company")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Set the company-wide monthly compute budget (created, or changed when it exists)")
    @APIResponse(responseCode = "200", description = "The budget with this month's spend", headers = @Header(
            name = "ETag", description = Tagged.DESCRIPTION), content = @Content(schema = @Schema(
                    implementation = BudgetJson.ComputeBudget.class)))
    @APIResponse(responseCode = "400", description = "A bad limit or threshold: errors name the field")
    @APIResponse(responseCode = "403", description = NOT_MANAGER)
    @APIResponse(responseCode = "412", description = STALE, content = @Content(
            mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    public Response saveCompanyBudget(@HeaderParam(Tagged.IF_MATCH) @Parameter(description = IF_MATCH) String ifMatch,
            @NotNull(message = SEND_JSON) BudgetJson.ComputeBudgetRequest request) {
        compute.saveComputeBudget(request.form(null), ifMatch);
        return computeBudget(null);
    }

    @GET
    @Path("/compute/projects/{projectId}")
    @Operation(summary = "A project's monthly compute budget")
    @APIResponse(responseCode = "200", description = "The budget with this month's spend", headers = @Header(
            name = "ETag", description = Tagged.DESCRIPTION), content = @Content(schema = @Schema(
                    implementation = BudgetJson.ComputeBudget.class)))
    @APIResponse(responseCode = "404", description = "No such project in this company, or none is set")
    public Response getProjectBudget(@PathParam("projectId") long projectId) {
        projects.get(projectId);
        return computeBudget(projectId);
    }

    @PUT
    @Path("/compute/projects/{projectId}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Set a project's monthly compute budget (created, or changed when it exists)")
    @APIResponse(responseCode = "200", description = "The budget with this month's spend", headers = @Header(
            name = "ETag", description = Tagged.DESCRIPTION), content = @Content(schema = @Schema(
                    implementation = BudgetJson.ComputeBudget.class)))
    @APIResponse(responseCode = "400", description = "A bad limit or threshold: errors name the field")
    @APIResponse(responseCode = "403", description = NOT_MANAGER)
    @APIResponse(responseCode = "404", description = "No such project in this company")
    @APIResponse(responseCode = "412", description = STALE, content = @Content(
            mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    public Response saveProjectBudget(@PathParam("projectId") long projectId,
            @HeaderParam(Tagged.IF_MATCH) @Parameter(description = IF_MATCH) String ifMatch,
            @NotNull(message = SEND_JSON) BudgetJson.ComputeBudgetRequest request) {
        projects.get(projectId);
        compute.saveComputeBudget(request.form(projectId), ifMatch);
        return computeBudget(projectId);
    }

    @DELETE
    @Path("/compute/{budgetId}")
    @Operation(summary = "Delete a compute budget (its alerts stay)")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "403", description = NOT_MANAGER)
    @APIResponse(responseCode = "404", description = "No such budget in this company")
    public void deleteComputeBudget(@PathParam("budgetId") long budgetId) {
        compute.deleteComputeBudget(budgetId);
    }

    /** The scope's budget (null: company-wide) with this month's spend and its ETag, or a 404 problem. */
    private Response computeBudget(Long projectId) {
        ComputeBudget found = compute.computeBudget(projectId)
                .orElseThrow(() -> new NotFoundException("Compute budget"));
        Currency currency = budget.currency();
        return compute.computeBudgets().stream().filter(s -> s.budget().getId().equals(found.getId())).findFirst()
                .map(s -> Tagged.ok(BudgetJson.ComputeBudget.of(s, currency), found.etag())).orElseThrow();
    }

    private static YearMonth month(String text) {
        try {
            return YearMonth.parse(text.strip());
        } catch (DateTimeParseException e) {
            throw new BadInputException("month", "“month” must be a month as YYYY-MM, e.g. 2026-11");
        }
    }

    private static SpendCategory category(String name) {
        try {
            return SpendCategory.valueOf(name.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new BadInputException(name, "Unknown category “" + name + "”: use "
                    + String.join(", ", Arrays.stream(SpendCategory.values()).map(Enum::name).toList()));
        }
    }
}
