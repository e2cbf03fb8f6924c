package dev.runway.budget;

import de.siegmar.fastcsv.writer.CsvWriter;
import dev.runway.base.BadInputException;
import dev.runway.base.Csv;
import dev.runway.base.Money;
import dev.runway.project.ProjectService;
import dev.runway.tenancy.Access;
import dev.runway.tenancy.Actor;
import dev.runway.tenancy.AuditLog;
import dev.runway.tenancy.Permission;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.Currency;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The company's books: the book currency, the figures derived from funding and spend (cash, burn, runway), the CSV
 * export, and compute spend posted by billing. Funding is {@link FundingService}'s, the plan and manual spend
 * {@link SpendService}'s, compute budgets {@link ComputeBudgetService}'s. BILLING, ADMIN and OWNER manage; every
 * member reads. Dates are calendar days in UTC.
 */
@ApplicationScoped
public class BudgetService {

    /** The figures at the top of the Budget page, as of {@code asOf}. */
    public record Summary(Currency currency, LocalDate asOf, BigDecimal cashOnHand, RunwayMath.Burn burn,
            Optional<BigDecimal> runwayMonths, boolean nothingRecorded) {}

    @Inject
    EntityManager em;

    @Inject
    Access access;

    @Inject
    AuditLog audit;

    @Inject
    Clock clock;

    @Inject
    ProjectService projects;

    @Inject
    BudgetAlerts alerts;

    // ---- currency ----

    /** The company's book currency (USD until changed). */
    @Transactional
    public Currency currency() {
        access.require(Permission.READ);
        return bookCurrency();
    }

    /** Changes the book currency; refused once anything is recorded, because amounts are never converted. */
    @Transactional
    public Currency changeCurrency(String code) {
        access.require(Permission.MANAGE_BUDGET);
        Currency currency = Money.currency("currency", code);
        Currency before = bookCurrency();
        if (currency.equals(before)) {
            return currency;
        }
        if (anythingRecorded()) {
            throw new BadInputException("currency", "The currency can change only while nothing is recorded: "
                    + "this company's amounts are in " + before.getCurrencyCode() + " and are never converted");
        }
        settings().ifPresentOrElse(s -> s.change(currency, clock.instant()),
                () -> em.persist(new BudgetSettings(currency, clock.instant())));
        audit.record("budget.currency_changed", "Book currency", before.getCurrencyCode(),
                currency.getCurrencyCode());
        return currency;
    }

    // ---- compute spend posted by billing ----

    /**
     * Posts compute spend from the billing feature. Idempotent: a second call with the same key returns the first
     * entry unchanged. The amount is rounded HALF_UP to the book currency's scale; {@code at} (default now) gives the
     * UTC day. Needs only membership (READ) because billing posts on behalf of whoever ran the work; the entry is
     * read-only afterwards. Crossing a compute budget threshold raises its alert in the same transaction.
     */
    @Transactional
    public ActualSpend recordComputeSpend(Long projectId, BigDecimal amount, Instant at, String idempotencyKey) {
        Actor actor = access.require(Permission.READ);
        String key = idempotencyKey == null ? "" : idempotencyKey.strip();
        if (key.isEmpty() || key.length() > ActualSpend.KEY_MAX) {
            throw new BadInputException("idempotencyKey",
                    "An idempotency key of 1 to " + ActualSpend.KEY_MAX + " characters is required");
        }
        Currency currency = bookCurrency();
        if (amount == null || amount.signum() <= 0) {
            throw new BadInputException("amount", "Compute spend must be above zero");
        }
        BigDecimal rounded = Money.round(amount, currency);
        if (rounded.signum() == 0) {
            throw new BadInputException("amount", "Compute spend of " + amount.toPlainString()
                    + " rounds to zero in " + currency.getCurrencyCode() + "; post it summed up");
        }
        if (projectId != null) {
            projects.get(projectId);
        }
        LocalDate day = LocalDate.ofInstant(at == null ? clock.instant() : at, ZoneOffset.UTC);
        // Insert-if-absent on (tenant_id, idempotency_key), so that a retried or concurrent post counts once.
        int inserted = em.createNativeQuery("""
                        insert into actual_spend (tenant_id, spent_on, category, amount, note, project_id, source,
                                                  idempotency_key, created_by, created_at)
                        values (:tenant, :day, 'COMPUTE', :amount, '', :project, 'BILLING', :key, :user, :now)
                        on conflict (tenant_id, idempotency_key) do nothing""")
                .setParameter("tenant", actor.tenantId())
                .setParameter("day", day)
                .setParameter("amount", rounded)
                .setParameter("project", projectId)
                .setParameter("key", key)
                .setParameter("user", actor.userId() == 0 ? null : actor.userId())
                .setParameter("now", clock.instant())
                .executeUpdate();
        ActualSpend entry = em.createQuery("select a from ActualSpend a where a.idempotencyKey = :key",
                ActualSpend.class).setParameter("key", key).getSingleResult();
        if (inserted == 1) {
            audit.record("budget.compute_spend_posted", "Compute spend " + key, null, entry.summary());
            alerts.check(YearMonth.from(day), currency);
        }
        return entry;
    }

    // ---- derived figures ----

    /** Cash on hand, monthly burn and runway as of today. */
    @Transactional
    public Summary summary() {
        access.require(Permission.READ);
        Currency currency = bookCurrency();
        LocalDate today = today();
        List<RunwayMath.Dated> funding = fundingDated();
        List<RunwayMath.Dated> actuals = actualsDated();
        BigDecimal cash = RunwayMath.cashOnHand(funding, actuals, today, currency);
        RunwayMath.Burn burn = RunwayMath.monthlyBurn(actuals, today, firstRecorded(funding, actuals), currency);
        return new Summary(currency, today, cash, burn, RunwayMath.runwayMonths(cash, burn.amount()),
                !anythingRecorded());
    }

    /** Cash and runway at the end of every month from the first recorded one to today's. */
    @Transactional
    public List<RunwayMath.RunwayPoint> runwaySeries() {
        access.require(Permission.READ);
        List<RunwayMath.Dated> funding = fundingDated();
        List<RunwayMath.Dated> actuals = actualsDated();
        YearMonth first = firstRecorded(funding, actuals);
        if (first == null) {
            return List.of();
        }
        return RunwayMath.series(funding, actuals, first, today(), bookCurrency());
    }

    /**
     * The budget's records as one CSV for spreadsheets (UTF-8 with a byte order mark): funding, the spending plan and
     * actual spend, oldest first, each row with its date, amount and currency; billing's compute entries are marked.
     */
    @Transactional
    public String exportCsv() {
        access.require(Permission.READ);
        Currency currency = bookCurrency();
        Map<Long, String> names = new HashMap<>();
        Stream.concat(projects.list("", false, ProjectService.Sort.NAME).stream(),
                projects.list("", true, ProjectService.Sort.NAME).stream()).forEach(p -> names.put(p.getId(),
                        p.getName()));
        StringWriter out = new StringWriter();
        out.write('\uFEFF');
        try (CsvWriter csv = CsvWriter.builder().build(out)) {
            csv.writeRecord("record", "date", "kind_or_category", "amount", "currency", "project", "source", "note");
            for (FundingSource f : em.createQuery("select f from FundingSource f order by f.receivedOn, f.id",
                    FundingSource.class).getResultList()) {
                csv.writeRecord("funding", f.getReceivedOn().toString(), f.getKind().label(),
                        f.getAmount().toPlainString(), f.getCurrency(), "", "", Csv.text(f.getNote()));
            }
            for (PlannedSpend p : em.createQuery("select p from PlannedSpend p order by p.month, p.category",
                    PlannedSpend.class).getResultList()) {
                csv.writeRecord("plan", YearMonth.from(p.month()).toString(), p.category().label(),
                        p.amount().toPlainString(), currency.getCurrencyCode(), "", "", "");
            }
            for (ActualSpend a : em.createQuery("select a from ActualSpend a order by a.spentOn, a.id",
                    ActualSpend.class).getResultList()) {
                csv.writeRecord("spend", a.getSpentOn().toString(), a.getCategory().label(),
                        a.getAmount().toPlainString(), currency.getCurrencyCode(),
                        a.getProjectId() == null ? "" : Csv.text(names.getOrDefault(a.getProjectId(), "project "
                                + a.getProjectId())), a.getSource() == SpendSource.BILLING ? "billing" : "entered",
                        Csv.text(a.getNote()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** Names of the company's active projects, for pickers and lists. */
    @Transactional
    public Map<Long, String> projectNames() {
        access.require(Permission.READ);
        Map<Long, String> names = new LinkedHashMap<>();
        projects.list("", false, ProjectService.Sort.NAME).forEach(p -> names.put(p.getId(), p.getName()));
        return names;
    }

    /** Today in UTC, from the injected clock. */
    public LocalDate today() {
        return LocalDate.now(clock.withZone(ZoneOffset.UTC));
    }

    /** The book currency without a permission check, for features that price things in it (billing). */
    @Transactional(Transactional.TxType.MANDATORY)
    public Currency bookCurrency() {
        return settings().map(BudgetSettings::currency).orElse(Currency.getInstance(Money.DEFAULT_CURRENCY));
    }

    private Optional<BudgetSettings> settings() {
        return em.createQuery("select s from BudgetSettings s", BudgetSettings.class).getResultStream().findFirst();
    }

    private boolean anythingRecorded() {
        return Stream.of("FundingSource", "ActualSpend", "PlannedSpend", "ComputeBudget")
                .anyMatch(entity -> em.createQuery("select count(e) from " + entity + " e", Long.class)
                        .getSingleResult() > 0);
    }

    private List<RunwayMath.Dated> fundingDated() {
        return em.createQuery("select f.receivedOn, f.amount from FundingSource f", Object[].class)
                .getResultStream().map(r -> new RunwayMath.Dated((LocalDate) r[0], (BigDecimal) r[1])).toList();
    }

    private List<RunwayMath.Dated> actualsDated() {
        return em.createQuery("select a.spentOn, a.amount from ActualSpend a", Object[].class)
                .getResultStream().map(r -> new RunwayMath.Dated((LocalDate) r[0], (BigDecimal) r[1])).toList();
    }

    private static YearMonth firstRecorded(List<RunwayMath.Dated> funding, List<RunwayMath.Dated> actuals) {
        return Stream.concat(funding.stream(), actuals.stream()).map(RunwayMath.Dated::date).min(LocalDate::compareTo)
                .map(YearMonth::from).orElse(null);
    }

}
