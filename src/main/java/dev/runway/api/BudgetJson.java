package dev.runway.api;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.runway.budget.ActualSpend;
import dev.runway.budget.BudgetService;
import dev.runway.budget.ComputeBudgetService;
import dev.runway.budget.FundingKind;
import dev.runway.budget.FundingService;
import dev.runway.budget.FundingSource;
import dev.runway.budget.RunwayMath;
import dev.runway.budget.SpendCategory;
import dev.runway.budget.SpendService;
import dev.runway.budget.SpendSource;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.Currency;
import java.util.List;
import java.util.stream.Collectors;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A company's money as the API shows and takes it: amounts are JSON numbers in the book currency, months
 * {@code YYYY-MM}, days {@code YYYY-MM-DD} (UTC). The services check every amount, date and limit.
 */
final class BudgetJson {

    private BudgetJson() {}

    @Schema(name = "BudgetSummary", description = "Cash on hand, monthly burn and months of runway, as of today", example = "{\"currency\": \"USD\", \"asOf\": \"2026-11-30\", \"cashOnHand\": 1240000.0, "
        + "\"monthlyBurn\": 86500.0, \"burnMonths\": [\"2026-08\", \"2026-09\", \"2026-10\"], "
        + "\"runwayMonths\": 14.3, \"nothingRecorded\": false}")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Summary(String currency, LocalDate asOf, BigDecimal cashOnHand,
            @Schema(description = "average monthly spend over burnMonths") BigDecimal monthlyBurn,
            @Schema(description = "the whole months the burn is averaged over, YYYY-MM") List<String> burnMonths,
            @Schema(description = "cash ÷ burn; absent while there is no burn") BigDecimal runwayMonths,
            boolean nothingRecorded) {

        static Summary of(BudgetService.Summary s) {
            return new Summary(s.currency().getCurrencyCode(), s.asOf(), s.cashOnHand(), s.burn().amount(),
                    s.burn().months().stream().map(YearMonth::toString).toList(), s.runwayMonths().orElse(null),
                    s.nothingRecorded());
        }
    }

    @Schema(name = "Funding", example = "{\"id\": 4, \"kind\": \"VENTURE\", \"amount\": 1500000, \"currency\": \"USD\", "
        + "\"receivedOn\": \"2026-10-01\", \"note\": \"Seed round\"}")
    record Funding(long id, FundingKind kind, BigDecimal amount, String currency, LocalDate receivedOn, String note) {

        static Funding of(FundingSource f) {
            return new Funding(f.getId(), f.getKind(), f.getAmount(), f.getCurrency(), f.getReceivedOn(),
                    f.getNote());
        }
    }

    @Schema(name = "FundingRequest", description = "PATCH: fields left out keep their value",
            example = "{\"kind\": \"VENTURE\", \"amount\": 1500000, \"receivedOn\": \"2026-10-01\", "
                    + "\"note\": \"Seed round\"}")
    record FundingRequest(@JsonFormat(with = JsonFormat.Feature.ACCEPT_CASE_INSENSITIVE_VALUES) FundingKind kind,
            BigDecimal amount,
            @Schema(description = "the book currency; left out: the book currency") String currency,
            LocalDate receivedOn, String note) {

        FundingService.FundingForm toNew() {
            return new FundingService.FundingForm(kind, amount, currency, receivedOn, note);
        }

        FundingService.FundingForm over(FundingSource f) {
            return new FundingService.FundingForm(kind != null ? kind : f.getKind(),
                    amount != null ? amount : f.getAmount(), currency != null ? currency : f.getCurrency(),
                    receivedOn != null ? receivedOn : f.getReceivedOn(), note != null ? note : f.getNote());
        }
    }

    @Schema(name = "Spend", description = "Actual spend; source BILLING (compute posted by billing) is read-only", example = "{\"id\": 71, \"spentOn\": \"2026-11-03\", \"category\": \"INFRASTRUCTURE\", "
        + "\"amount\": 420.5, \"currency\": \"USD\", \"note\": \"Object storage\", \"projectId\": 3, "
        + "\"source\": \"MANUAL\"}")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Spend(long id, LocalDate spentOn, SpendCategory category, BigDecimal amount, String currency, String note,
            Long projectId, SpendSource source) {

        static Spend of(ActualSpend a, Currency currency) {
            return new Spend(a.getId(), a.getSpentOn(), a.getCategory(), a.getAmount(), currency.getCurrencyCode(),
                    a.getNote(), a.getProjectId(), a.getSource());
        }
    }

    @Schema(name = "SpendRequest", description = "PATCH: fields left out keep their value",
            example = "{\"spentOn\": \"2026-11-03\", \"category\": \"INFRASTRUCTURE\", \"amount\": 420.5, "
                    + "\"note\": \"Object storage\"}")
    record SpendRequest(LocalDate spentOn,
            @JsonFormat(with = JsonFormat.Feature.ACCEPT_CASE_INSENSITIVE_VALUES) SpendCategory category,
            BigDecimal amount, String note,
            @Schema(description = "the project it was spent for; optional") Long projectId) {

        SpendService.ActualForm toNew() {
            return new SpendService.ActualForm(spentOn, category, amount, note, projectId);
        }

        SpendService.ActualForm over(ActualSpend a) {
            return new SpendService.ActualForm(spentOn != null ? spentOn : a.getSpentOn(),
                    category != null ? category : a.getCategory(), amount != null ? amount : a.getAmount(),
                    note != null ? note : a.getNote(), projectId != null ? projectId : a.getProjectId());
        }
    }

    @Schema(name = "Plan", description = "A month's planned spend per category against what was spent", example = "{\"month\": \"2026-11\", \"currency\": \"USD\", \"lines\": [{\"category\": \"COMPUTE\", "
        + "\"planned\": 5000, \"actual\": 3120.4, \"left\": 1879.6}]}")
    record Plan(String month, String currency, List<PlanLine> lines) {

        static Plan of(YearMonth month, Currency currency, List<RunwayMath.CategoryComparison> rows) {
            return new Plan(month.toString(), currency.getCurrencyCode(), rows.stream()
                    .map(r -> new PlanLine(r.category(), r.planned(), r.actual(), r.left())).toList());
        }
    }

    record PlanLine(SpendCategory category, BigDecimal planned, BigDecimal actual,
            @Schema(description = "planned − actual (below zero: over plan)") BigDecimal left) {}

    @Schema(name = "ComputeBudget", description = "A monthly compute budget (company-wide when projectId is absent) "
            + "with this month's spend against it", example = "{\"id\": 2, \"projectId\": 3, \"scope\": \"Churn\", \"monthlyLimit\": 500, "
        + "\"thresholds\": [50, 80, 100], \"currency\": \"USD\", \"month\": \"2026-11\", "
        + "\"spent\": 212.3, \"left\": 287.7, \"percentUsed\": 42}")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ComputeBudget(long id, Long projectId, String scope, BigDecimal monthlyLimit, List<Integer> thresholds,
            String currency, String month, BigDecimal spent, BigDecimal left, int percentUsed) {

        static ComputeBudget of(ComputeBudgetService.BudgetStatus s, Currency currency) {
            return new ComputeBudget(s.budget().getId(), s.budget().getProjectId(), s.scope(),
                    s.budget().getMonthlyLimit(), s.budget().getThresholds(), currency.getCurrencyCode(),
                    s.month().toString(), s.spent(), s.left(), s.percentUsed());
        }
    }

    @Schema(name = "ComputeBudgetRequest", example = "{\"monthlyLimit\": 2000, \"thresholds\": [50, 80, 100]}")
    record ComputeBudgetRequest(BigDecimal monthlyLimit,
            @Schema(description = "alert at these percentages of the limit; left out: 50, 80, 100")
            List<Integer> thresholds) {

        ComputeBudgetService.BudgetForm form(Long projectId) {
            return new ComputeBudgetService.BudgetForm(projectId, monthlyLimit, thresholds == null ? null
                    : thresholds.stream().map(String::valueOf).collect(Collectors.joining(", ")));
        }
    }
}
