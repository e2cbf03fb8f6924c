package dev.runway.budget;

import de.siegmar.fastcsv.writer.CsvWriter;
import dev.runway.base.BadInputException;
import dev.runway.base.Csv;
import dev.runway.base.Money;
import dev.runway.base.NotFoundException;
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
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Funding, the monthly spending plan, actual spend and the figures derived from them (cash, burn, runway).
 * BILLING, ADMIN and OWNER manage them; every member reads. Dates are calendar days in UTC.
 */
@ApplicationScoped
public class BudgetService {

    /** What the funding form submits. */
    public record FundingForm(FundingKind kind, BigDecimal amount, String currency, LocalDate receivedOn,
            String note) {}

    /** What the actual-spend form submits; {@code projectId} is optional. */
    public record ActualForm(LocalDate spentOn, SpendCategory category, BigDecimal amount, String note,
            Long projectId) {}

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

    // ---- funding ----

    /** Newest first. */
    @Transactional
    public List<FundingSource> funding() {
        access.require(Permission.READ);
        return em.createQuery("select f from FundingSource f order by f.receivedOn desc, f.id desc",
                FundingSource.class).getResultList();
    }

    @Transactional
    public FundingSource addFunding(FundingForm form) {
        Actor actor = access.require(Permission.MANAGE_BUDGET);
        FundingSource funding = new FundingSource(actor.userId(), clock.instant());
        apply(funding, form);
        em.persist(funding);
        audit.record("budget.funding_added", funding.getKind().label() + " funding", null, funding.summary());
        return funding;
    }

    @Transactional
    public FundingSource updateFunding(long id, FundingForm form) {
        access.require(Permission.MANAGE_BUDGET);
        FundingSource funding = findFunding(id);
        String before = funding.summary();
        apply(funding, form);
        if (!before.equals(funding.summary())) {
            audit.record("budget.funding_updated", funding.getKind().label() + " funding", before,
                    funding.summary());
        }
        return funding;
    }

    @Transactional
    public void deleteFunding(long id) {
        access.require(Permission.MANAGE_BUDGET);
        FundingSource funding = findFunding(id);
        em.remove(funding);
        audit.record("budget.funding_deleted", funding.getKind().label() + " funding", funding.summary(), null);
    }

    private void apply(FundingSource funding, FundingForm form) {
        if (form.kind() == null) {
            throw new BadInputException("kind", "Choose the kind of funding");
        }
        Currency book = bookCurrency();
        Currency currency = Money.currency("currency", form.currency() == null ? book.getCurrencyCode()
                : form.currency());
        if (!currency.equals(book)) {
            throw new BadInputException("currency", "This company keeps its books in " + book.getCurrencyCode()
                    + ": enter the amount in " + book.getCurrencyCode()
                    + " (the book currency can change only while nothing is recorded)");
        }
        BigDecimal amount = Money.positive("amount", form.amount(), currency);
        LocalDate receivedOn = pastOrToday("receivedOn", "date received", form.receivedOn());
        funding.update(form.kind(), amount, currency.getCurrencyCode(), receivedOn, note(form.note()));
    }

    // ---- the plan ----

    /** The plan for {@code month}: only categories with an amount. */
    @Transactional
    public Map<SpendCategory, BigDecimal> plan(YearMonth month) {
        access.require(Permission.READ);
        Map<SpendCategory, BigDecimal> plan = new EnumMap<>(SpendCategory.class);
        planLines(month).forEach(p -> plan.put(p.category(), p.amount()));
        return plan;
    }

    /**
     * Sets the planned amounts of {@code month} for the categories given; zero or an empty amount clears a line.
     * Bad amounts are reported at the field named after the category (e.g. "COMPUTE"), and nothing is saved.
     */
    @Transactional
    public void savePlan(YearMonth month, Map<SpendCategory, BigDecimal> amounts) {
        access.require(Permission.MANAGE_BUDGET);
        if (month == null) {
            throw new BadInputException("month", "Choose a month");
        }
        Currency currency = bookCurrency();
        Map<SpendCategory, BigDecimal> checked = new LinkedHashMap<>();
        for (Map.Entry<SpendCategory, BigDecimal> e : amounts.entrySet()) {
            if (e.getKey() == null) {
                throw new BadInputException("category", "Choose a category: "
                        + Stream.of(SpendCategory.values()).map(SpendCategory::label).toList());
            }
            checked.put(e.getKey(), Money.zeroOrMore(e.getKey().name(), e.getValue(), currency));
        }
        Map<SpendCategory, PlannedSpend> existing = new EnumMap<>(SpendCategory.class);
        planLines(month).forEach(p -> existing.put(p.category(), p));
        checked.forEach((category, amount) -> {
            PlannedSpend line = existing.get(category);
            BigDecimal before = line == null ? null : line.amount();
            if (before == null ? amount.signum() == 0 : before.compareTo(amount) == 0) {
                return;
            }
            if (amount.signum() == 0) {
                em.remove(line);
            } else if (line == null) {
                PlannedSpend created = new PlannedSpend(month.atDay(1), category);
                created.change(amount, clock.instant());
                em.persist(created);
            } else {
                line.change(amount, clock.instant());
            }
            audit.record("budget.plan_changed", "Plan " + month + " " + category.label(),
                    before == null ? null : Money.format(before, currency),
                    amount.signum() == 0 ? null : Money.format(amount, currency));
        });
    }

    private List<PlannedSpend> planLines(YearMonth month) {
        return em.createQuery("select p from PlannedSpend p where p.month = :month", PlannedSpend.class)
                .setParameter("month", month.atDay(1))
                .getResultList();
    }

    // ---- actual spend ----

    /** Newest first; {@code month} null for all. */
    @Transactional
    public List<ActualSpend> actuals(YearMonth month) {
        access.require(Permission.READ);
        LocalDate from = month == null ? LocalDate.of(1, 1, 1) : month.atDay(1);
        LocalDate to = month == null ? LocalDate.of(9999, 12, 31) : month.atEndOfMonth();
        return em.createQuery("""
                        select a from ActualSpend a where a.spentOn between :from and :to
                        order by a.spentOn desc, a.id desc""", ActualSpend.class)
                .setParameter("from", from)
                .setParameter("to", to)
                .getResultList();
    }

    @Transactional
    public ActualSpend addActual(ActualForm form) {
        Actor actor = access.require(Permission.MANAGE_BUDGET);
        ActualSpend actual = new ActualSpend(SpendSource.MANUAL, null, actor.userId(), clock.instant());
        Currency currency = bookCurrency();
        apply(actual, form, currency);
        em.persist(actual);
        audit.record("budget.spend_added", actual.getCategory().label() + " spend", null, actual.summary());
        alertIfCompute(actual, currency);
        return actual;
    }

    /** Changes a manual entry; billing's entries are read-only. */
    @Transactional
    public ActualSpend updateActual(long id, ActualForm form) {
        access.require(Permission.MANAGE_BUDGET);
        ActualSpend actual = findManual(id);
        String before = actual.summary();
        Currency currency = bookCurrency();
        apply(actual, form, currency);
        if (!before.equals(actual.summary())) {
            audit.record("budget.spend_updated", actual.getCategory().label() + " spend", before, actual.summary());
            alertIfCompute(actual, currency);
        }
        return actual;
    }

    /** Deletes a manual entry; billing's entries are read-only. */
    @Transactional
    public void deleteActual(long id) {
        access.require(Permission.MANAGE_BUDGET);
        ActualSpend actual = findManual(id);
        em.remove(actual);
        audit.record("budget.spend_deleted", actual.getCategory().label() + " spend", actual.summary(), null);
    }

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

    private void apply(ActualSpend actual, ActualForm form, Currency currency) {
        LocalDate spentOn = pastOrToday("spentOn", "date spent", form.spentOn());
        if (form.category() == null) {
            throw new BadInputException("category", "Choose a category");
        }
        BigDecimal amount = Money.positive("amount", form.amount(), currency);
        if (form.projectId() != null) {
            projects.get(form.projectId());
        }
        actual.update(spentOn, form.category(), amount, note(form.note()), form.projectId());
    }

    private void alertIfCompute(ActualSpend actual, Currency currency) {
        if (actual.getCategory() == SpendCategory.COMPUTE) {
            em.flush();
            alerts.check(YearMonth.from(actual.getSpentOn()), currency);
        }
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

    /** Each category's plan against actual spend in {@code month}. */
    @Transactional
    public List<RunwayMath.CategoryComparison> planVsActual(YearMonth month) {
        access.require(Permission.READ);
        Map<SpendCategory, BigDecimal> planned = new EnumMap<>(SpendCategory.class);
        planLines(month).forEach(p -> planned.put(p.category(), p.amount()));
        Map<SpendCategory, BigDecimal> actual = new EnumMap<>(SpendCategory.class);
        em.createQuery("""
                        select a.category, sum(a.amount) from ActualSpend a
                        where a.spentOn between :from and :to group by a.category""", Object[].class)
                .setParameter("from", month.atDay(1))
                .setParameter("to", month.atEndOfMonth())
                .getResultList()
                .forEach(row -> actual.put((SpendCategory) row[0], (BigDecimal) row[1]));
        return RunwayMath.planVsActual(planned, actual, bookCurrency());
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

    private LocalDate pastOrToday(String field, String label, LocalDate date) {
        if (date == null) {
            throw new BadInputException(field, "Enter the " + label);
        }
        if (date.isAfter(today())) {
            throw new BadInputException(field, "The " + label + " cannot be in the future");
        }
        if (date.getYear() < 1990) {
            throw new BadInputException(field, "Enter a " + label + " after 1990");
        }
        return date;
    }

    private static String note(String value) {
        String note = value == null ? "" : value.strip();
        if (note.length() > FundingSource.NOTE_MAX) {
            throw new BadInputException("note", "Keep the note under " + FundingSource.NOTE_MAX + " characters");
        }
        return note;
    }

    private FundingSource findFunding(long id) {
        return Optional.ofNullable(em.find(FundingSource.class, id))
                .orElseThrow(() -> new NotFoundException("Funding source"));
    }

    private ActualSpend findManual(long id) {
        ActualSpend actual = Optional.ofNullable(em.find(ActualSpend.class, id))
                .orElseThrow(() -> new NotFoundException("Spend entry"));
        if (actual.isReadOnly()) {
            throw new BadInputException(null, "Compute spend posted by billing is read-only; "
                    + "it changes only through billing");
        }
        return actual;
    }
}
