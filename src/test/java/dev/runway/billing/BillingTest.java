package dev.runway.billing;

import static dev.runway.testing.Acting.as;
import static dev.runway.testing.Acting.inRequestContext;
import static dev.runway.testing.Acting.tx;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.runway.base.BadInputException;
import dev.runway.budget.BudgetService;
import dev.runway.budget.ComputeBudgetService;
import dev.runway.dataset.DatasetService;
import dev.runway.project.ProjectService;
import dev.runway.tenancy.Actor;
import dev.runway.testing.TenancyFixture;
import dev.runway.testing.TestClock;
import dev.runway.training.PacedWorkProfile;
import dev.runway.training.Run;
import dev.runway.training.RunCharges;
import dev.runway.training.RunFixture;
import dev.runway.training.RunService;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Metering, rating and invoicing against the real PostgreSQL with a moved clock: replays, a month boundary, a plan
 * change mid-month, credits, payments, budget refusal and the hard-cap stop, the Free plan's allowance, storage.
 */
@QuarkusTest
@TestProfile(PacedWorkProfile.class)
class BillingTest {

    @Inject
    TestClock clock;

    @Inject
    TenancyFixture tenancy;

    @Inject
    RunFixture runFixture;

    @Inject
    UsageLedger ledger;

    @Inject
    PlanService plans;

    @Inject
    InvoiceService invoices;

    @Inject
    InvoiceDocuments documents;

    @Inject
    Metering metering;

    @Inject
    BillingJobs jobs;

    @Inject
    StorageMeter storage;

    @Inject
    UsageService usage;

    @Inject
    RunService runs;

    @Inject
    DatasetService datasets;

    @Inject
    ComputeBudgetService budgets;

    @Inject
    BudgetService budgetService;

    @Inject
    EntityManager em;

    @Inject
    ProjectService projects;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    @Test
    void a_replayed_event_is_recorded_once_and_a_correction_is_a_reversing_entry() throws Exception {
        Actor owner = tenancy.company().owner();
        Instant t = clock.instant();
        Usage event = new Usage("run:1:1:1", Resource.CPU, new BigDecimal("30"), null, null, t.minusSeconds(30), t);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<Integer>> posts = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            posts.add(pool.submit(() -> inRequestContext(() -> tx(owner, () -> ledger.recordAll(owner.tenantId(),
                    List.of(event))))));
        }
        int inserted = 0;
        for (Future<Integer> post : posts) {
            inserted += post.get();
        }
        pool.shutdown();
        assertThat(inserted).as("rows inserted by 8 concurrent posts of one event").isEqualTo(1);

        long id = tx(owner, () -> ((Number) em.createNativeQuery("select id from usage_event").getSingleResult())
                .longValue());
        assertThat(tx(owner, () -> ledger.reverse(id, "metered twice by mistake"))).isTrue();
        assertThat(tx(owner, () -> ledger.reverse(id, "again"))).as("a reversal is posted once").isFalse();
        assertThat(tx(owner, () -> em.createNativeQuery("select sum(quantity) from usage_event").getSingleResult()))
                .isEqualTo(new BigDecimal("0.000000"));
        assertThatThrownBy(() -> tx(owner, () -> em.createNativeQuery("update usage_event set quantity = 1")
                .executeUpdate())).hasStackTraceContaining("append-only");
        assertThatThrownBy(() -> new Usage("", Resource.CPU, BigDecimal.ONE, null, null, t, t))
                .isInstanceOf(BadInputException.class);
        assertThatThrownBy(() -> new Usage("k", Resource.CPU, BigDecimal.ONE.negate(), null, null, t, t))
                .isInstanceOf(BadInputException.class);
    }

    @Test
    void a_month_is_invoiced_once_across_its_boundary_with_a_plan_change_and_credits() {
        RunFixture.Setup setup = runFixture.iris();
        Actor owner = setup.company().owner();
        long project = as(owner, () -> datasets.dataset(datasets.version(setup.versionId()).getDatasetId())
                .getProjectId());
        moveTo("2027-03-10T00:00:00Z");
        as(owner, () -> plans.changePlan(Plan.TEAM, null));
        assertThatThrownBy(() -> as(owner, () -> plans.changePlan(Plan.ENTERPRISE,
                Instant.parse("2027-03-01T00:00:00Z")))).isInstanceOf(BadInputException.class)
                .hasMessageContaining("not in the past");
        post(owner, "a", Resource.CPU, "3600", project, "2027-03-10T01:00:00Z");      // Team: 1 h × 0.12 = 0.12
        post(owner, "b", Resource.GPU, "1800", project, "2027-03-12T01:00:00Z");      // Team: 0.5 h × 2.40 = 1.20
        moveTo("2027-03-15T00:00:00Z");
        as(owner, () -> invoices.addCredit(new BigDecimal("1.00"), "prepayment TR-77"));
        moveTo("2027-03-20T00:00:00Z");
        as(owner, () -> plans.changePlan(Plan.ENTERPRISE, null));
        post(owner, "c", Resource.CPU, "7200", project, "2027-03-21T01:00:00Z");      // Enterprise: 2 h × 0.09
        moveTo("2027-03-31T23:59:00Z");
        post(owner, "d", Resource.CPU, "59", project, "2027-03-31T23:59:00Z");        // … + 59 s: 0.181475 → 0.18
        Invoice draft = as(owner, () -> invoices.invoices()).get(0);
        assertThat(draft.getStatus()).isEqualTo(Invoice.Status.DRAFT);
        assertThat(draft.getPeriod()).isEqualTo(YearMonth.of(2027, 3));
        moveTo("2027-04-01T00:30:00Z");
        post(owner, "e", Resource.CPU, "1800", project, "2027-04-01T00:00:00Z");      // April: 0.5 h × 0.09 = 0.045

        jobs.runFor(owner.tenantId());
        jobs.runFor(owner.tenantId());   // a second node, or the next hour: nothing changes twice

        List<Invoice> all = as(owner, () -> invoices.invoices());
        assertThat(all).extracting(Invoice::getPeriod).containsExactly(YearMonth.of(2027, 4), YearMonth.of(2027, 3));
        Invoice march = all.get(1);
        assertThat(march.getStatus()).isEqualTo(Invoice.Status.FINALISED);
        assertThat(march.label()).isEqualTo("RW-0001");
        List<InvoiceLine> lines = as(owner, () -> invoices.lines(march.getId()));
        assertThat(lines).extracting(InvoiceLine::getAmount).containsExactlyInAnyOrder(new BigDecimal("0.12"),
                new BigDecimal("1.20"), new BigDecimal("0.18"));
        assertThat(lines).allSatisfy(l -> assertThat(l.getAmount()).isEqualTo(
                l.getQuantity().multiply(l.getUnitPrice()).setScale(2, RoundingMode.HALF_UP)));
        BigDecimal sumOfLines = lines.stream().map(InvoiceLine::getAmount).reduce(BigDecimal.ZERO, BigDecimal::add);
        assertThat(march.getSubtotal()).isEqualByComparingTo(sumOfLines).isEqualByComparingTo("1.50");
        assertThat(march.getCreditsApplied()).isEqualByComparingTo("1.00");
        assertThat(march.getTotal()).isEqualByComparingTo("0.50");
        assertThat(march.getPlanSummary()).contains("Team").contains("Enterprise from 2027-03-20");

        Invoice april = all.get(0);
        assertThat(april.getStatus()).isEqualTo(Invoice.Status.DRAFT);
        assertThat(april.getSubtotal()).as("0.045 rounds half up per line").isEqualByComparingTo("0.05");
        assertThat(april.getCreditsApplied()).as("the credit was used up by March").isEqualByComparingTo("0");

        // A late event cannot reopen March: it belongs to the month it is recorded in.
        post(owner, "late", Resource.CPU, "3600", project, "2027-03-31T23:00:00Z");
        assertThat(as(owner, () -> invoices.get(march.getId())).getSubtotal()).isEqualByComparingTo("1.50");

        byte[] pdf = as(owner, () -> documents.pdf(march.getId()));
        assertThat(new String(pdf, 0, 5, StandardCharsets.ISO_8859_1)).isEqualTo("%PDF-");
        String csv = as(owner, () -> documents.csv(march.getId()));
        assertThat(csv).contains("RW-0001").contains("Total due").contains("0.50");

        assertThatThrownBy(() -> as(owner, () -> invoices.markPaid(march.getId(), " ")))
                .isInstanceOf(BadInputException.class).hasMessageContaining("reference");
        assertThatThrownBy(() -> as(owner, () -> invoices.markPaid(april.getId(), "TR-1")))
                .isInstanceOf(BadInputException.class).hasMessageContaining("finalised");
        assertThat(as(owner, () -> invoices.markPaid(march.getId(), "TR-1")).getStatus())
                .isEqualTo(Invoice.Status.PAID);
        assertThatThrownBy(() -> as(owner, () -> invoices.voidInvoice(march.getId(), "wrong")))
                .isInstanceOf(BadInputException.class);

        Actor otherOwner = tenancy.company().owner();
        assertThatThrownBy(() -> as(otherOwner, () -> invoices.get(march.getId())))
                .isInstanceOf(dev.runway.base.NotFoundException.class);
        assertThat(as(owner, () -> usage.exportCsv(YearMonth.of(2027, 3)))).contains("run:x:a").contains("run:x:d");
    }

    @Test
    void a_run_is_metered_and_its_cost_flows_into_the_budget_to_the_cent() {
        RunFixture.Setup setup = runFixture.iris();
        Actor owner = setup.company().owner();
        long project = projectOf(owner, setup);
        long id = teamRun(owner, setup);
        await().pollInSameThread().atMost(Duration.ofSeconds(30))
                .until(() -> as(owner, () -> runs.get(id)).getStatus() == Run.Status.SUCCEEDED);
        List<String> keys = as(owner, () -> usage.entries(Instant.EPOCH, clock.instant().plusSeconds(1), 100))
                .stream().map(UsageService.Entry::key).toList();
        assertThat(keys).containsExactlyInAnyOrder("run:" + id + ":1:1", "run:" + id + ":1:2", "run:" + id + ":1:3",
                "run:" + id + ":1:4");

        // Synthetic long segments (10 h, then 5 h of CPU) show the cents reaching the budget's actual spend.
        Instant t = clock.instant();
        tx(owner, () -> {
            metering.meter(new Metering.Segment(id, 9, 1, project, false, t, t.plusSeconds(36_000)));
            metering.meter(new Metering.Segment(id, 9, 1, project, false, t, t.plusSeconds(36_000)));  // replay
            metering.meter(new Metering.Segment(id, 9, 2, project, false, t.plusSeconds(36_000),
                    t.plusSeconds(54_000)));
            return null;
        });
        BigDecimal posted = tx(owner, () -> (BigDecimal) em.createNativeQuery(
                "select coalesce(sum(amount), 0) from actual_spend where category = 'COMPUTE'").getSingleResult());
        BigDecimal cost = as(owner, () -> runs.cost(id)).amount();
        assertThat(posted).as("posted to the budget").isEqualByComparingTo(cost);
        assertThat(cost).as("15 h of CPU and the run's seconds at 0.12 an hour").isEqualByComparingTo("1.80");
    }

    @Test
    void compute_spend_reaches_the_budget_in_the_metering_transaction_and_rolls_back_with_it() {
        RunFixture.Setup setup = runFixture.iris();
        Actor owner = setup.company().owner();
        long project = projectOf(owner, setup);
        long id = teamRun(owner, setup);
        as(owner, () -> runs.cancel(id));
        Instant t = clock.instant();
        RunCharges.Segment tenHours = new RunCharges.Segment(id, 7, 1, project, false, t, t.plusSeconds(36_000));
        BigDecimal before = tx(owner, () -> computeSpend());

        // A checkpoint that fails after its segment was metered takes the budget's post back with the ledger's.
        assertThatThrownBy(() -> tx(owner, () -> {
            metering.meter(tenHours);
            assertThat(computeSpend()).as("seen by the budget inside the metering transaction")
                    .isGreaterThan(before);
            throw new IllegalStateException("the checkpoint could not be written");
        })).hasMessageContaining("checkpoint");
        assertThat(tx(owner, () -> computeSpend())).as("rolled back with the segment").isEqualByComparingTo(before);
        assertThat(tx(owner, () -> em.createNativeQuery("select count(*) from usage_event where idempotency_key = "
                + ":key").setParameter("key", tenHours.key()).getSingleResult())).isEqualTo(0L);

        tx(owner, () -> {
            metering.meter(tenHours);
            return null;
        });
        assertThat(tx(owner, () -> computeSpend()).subtract(before)).as("10 h of CPU at 0.12 USD an hour")
                .isBetween(new BigDecimal("1.20"), new BigDecimal("1.21"));
        assertThat(tx(owner, () -> em.createNativeQuery("select source from actual_spend where idempotency_key = "
                + ":key").setParameter("key", "usage:" + tenHours.key()).getSingleResult())).isEqualTo("BILLING");
    }

    @Test
    void a_plan_change_sets_the_executor_quota_in_its_transaction() {
        Actor owner = tenancy.company().owner();
        as(owner, () -> plans.changePlan(Plan.TEAM, null));
        assertThat(quota(owner)).as("the Team plan runs 4 at once").isEqualTo(4);

        assertThatThrownBy(() -> tx(owner, () -> {
            plans.changePlan(Plan.ENTERPRISE, null);
            assertThat(quota()).as("inside the plan change").isEqualTo(16);
            throw new IllegalStateException("the audit could not be written");
        })).hasMessageContaining("audit");
        assertThat(quota(owner)).as("rolled back with the plan change").isEqualTo(4);

        // A change stated for later takes hold when the hourly job finds it in force.
        as(owner, () -> plans.changePlan(Plan.FREE, clock.instant().plus(Duration.ofDays(1))));
        assertThat(quota(owner)).isEqualTo(4);
        clock.advance(Duration.ofDays(2));
        jobs.runFor(owner.tenantId());
        assertThat(quota(owner)).as("the Free plan runs 1 at once").isEqualTo(1);
    }

    /** Moves the company to the Team plan and submits a 3-epoch MLP on its CPU. */
    private long teamRun(Actor owner, RunFixture.Setup setup) {
        as(owner, () -> plans.changePlan(Plan.TEAM, null));
        return as(owner, () -> runs.submit(new RunService.Submission(setup.versionId(), RunFixture.mlp(3), "cpu",
                50)).getId());
    }

    private BigDecimal computeSpend() {
        return (BigDecimal) em.createNativeQuery("select coalesce(sum(amount), 0) from actual_spend "
                + "where category = 'COMPUTE'").getSingleResult();
    }

    private Integer quota(Actor owner) {
        return tx(owner, this::quota);
    }

    private Integer quota() {
        List<?> rows = em.createNativeQuery("select concurrency_quota from tenant_queue_state").getResultList();
        return rows.isEmpty() ? null : ((Number) rows.get(0)).intValue();
    }

    @Test
    void budgets_refuse_a_run_that_would_exceed_them_and_stop_one_at_the_hard_cap() {
        RunFixture.Setup setup = runFixture.iris();
        Actor owner = setup.company().owner();
        long project = projectOf(owner, setup);
        as(owner, () -> plans.changePlan(Plan.TEAM, null));
        as(owner, () -> budgets.saveComputeBudget(new ComputeBudgetService.BudgetForm(null, new BigDecimal("1.00"),
                "50, 100")));
        as(owner, () -> budgetService.recordComputeSpend(project, new BigDecimal("0.99"), clock.instant(),
                "earlier-today"));
        // Starts: the estimate (a few seconds) fits in the 0.01 left.
        long id = as(owner, () -> runs.submit(new RunService.Submission(setup.versionId(), RunFixture.mlp(200), "cpu",
                50)).getId());
        await().pollInSameThread().atMost(Duration.ofSeconds(20))
                .until(() -> as(owner, () -> runs.get(id)).getLastCheckpointEpoch() != null);
        clock.advance(Duration.ofHours(1));   // the segment under way now costs 0.12: past the cap
        await().pollInSameThread().atMost(Duration.ofSeconds(10))
                .until(() -> as(owner, () -> runs.get(id)).getStatus() == Run.Status.STOPPED);
        Run stopped = as(owner, () -> runs.get(id));
        assertThat(stopped.getError()).startsWith("Stopped: budget reached").contains("Billing, Admin or Owner");
        assertThat(stopped.getLastCheckpointEpoch()).isGreaterThanOrEqualTo(1);

        BadInputException refused = catchBadInput(() -> as(owner, () -> runs.submit(new RunService.Submission(
                setup.versionId(), RunFixture.mlp(3), "cpu", 50))));
        assertThat(refused.field()).isEqualTo("budget");
        assertThat(refused.getMessage()).contains("left").contains("Billing, Admin or Owner");
        assertThatThrownBy(() -> as(owner, () -> runs.retry(id))).isInstanceOf(BadInputException.class);

        // The budget rises: the stopped run resumes from its checkpoint (db-scheduler runs on the real clock).
        clock.reset();
        as(owner, () -> budgets.saveComputeBudget(new ComputeBudgetService.BudgetForm(null, new BigDecimal("500"),
                "50, 100")));
        as(owner, () -> runs.retry(id));
        await().pollInSameThread().atMost(Duration.ofSeconds(20))
                .until(() -> as(owner, () -> runs.get(id)).getStatus() == Run.Status.RUNNING
                        && as(owner, () -> runs.get(id)).getAttempt() == 2);
        as(owner, () -> runs.cancel(id));
    }

    @Test
    void a_run_ends_normally_when_the_wall_clock_steps_back_under_it() {
        RunFixture.Setup setup = runFixture.iris();
        Actor owner = setup.company().owner();
        as(owner, () -> plans.changePlan(Plan.TEAM, null));
        long id = as(owner, () -> runs.submit(new RunService.Submission(setup.versionId(), RunFixture.mlp(200), "cpu",
                50)).getId());
        await().pollInSameThread().atMost(Duration.ofSeconds(20))
                .until(() -> as(owner, () -> runs.get(id)).getLastCheckpointEpoch() != null);
        clock.advance(Duration.ofHours(-1));   // an NTP step back while the run's segment is open
        as(owner, () -> runs.cancel(id));
        await().pollInSameThread().atMost(Duration.ofSeconds(10))
                .until(() -> as(owner, () -> runs.get(id)).getStatus() == Run.Status.CANCELLED);
        List<String> keys = as(owner, () -> usage.entries(Instant.EPOCH, Instant.now().plusSeconds(60), 100))
                .stream().map(UsageService.Entry::key).filter(k -> k.startsWith("run:" + id + ":")).toList();
        assertThat(keys).as("segments metered before the step, none after").isNotEmpty().doesNotHaveDuplicates();
    }

    @Test
    void sub_cent_runs_reach_a_tiny_budget_as_the_invoice_does() {
        RunFixture.Setup setup = runFixture.iris();
        Actor owner = setup.company().owner();
        long project = projectOf(owner, setup);
        as(owner, () -> plans.changePlan(Plan.TEAM, null));
        long first = finishedRun(owner, setup);
        as(owner, () -> budgets.saveComputeBudget(new ComputeBudgetService.BudgetForm(null, new BigDecimal("0.01"),
                "50, 100")));

        // 15 runs of 40–110 s of CPU at 0.12 an hour: each costs 0.0013–0.0037, under a cent on its own.
        clock.advance(Duration.ofHours(1));
        Instant t = clock.instant();
        for (int i = 0; i < 15; i++) {
            long run = copyOf(owner, first);
            long seconds = 40 + (i * 37) % 71;
            tx(owner, () -> {
                metering.meter(new Metering.Segment(run, 1, 1, project, false, t.minusSeconds(seconds), t));
                return null;
            });
        }
        BigDecimal invoiced = as(owner, () -> invoices.invoices()).get(0).getSubtotal();
        BigDecimal posted = tx(owner, () -> (BigDecimal) em.createNativeQuery(
                "select coalesce(sum(amount), 0) from actual_spend where category = 'COMPUTE'").getSingleResult());
        assertThat(invoiced).as("the invoice").isGreaterThanOrEqualTo(new BigDecimal("0.03"));
        assertThat(posted).as("the budget sees what is invoiced").isEqualByComparingTo(invoiced);
        assertThat(as(owner, () -> budgets.recentAlerts())).extracting(a -> a.getThreshold())
                .containsExactlyInAnyOrder(50, 100);
        assertThat(as(owner, () -> budgets.alertsThisMonth())).as("for the dashboard and the header")
                .singleElement().satisfies(a -> assertThat(a.getThreshold()).isEqualTo(100));
        BadInputException refused = catchBadInput(() -> as(owner, () -> runs.submit(new RunService.Submission(
                setup.versionId(), RunFixture.mlp(3), "cpu", 50))));
        assertThat(refused.field()).isEqualTo("budget");
        assertThat(tx(owner, () -> metering.mustStop(project, false, 1))).as("the hard cap")
                .hasValueSatisfying(reason -> assertThat(reason).startsWith("Stopped: budget reached"));
    }

    @Test
    void a_finished_run_keeps_the_cost_it_was_billed_after_a_plan_change() {
        RunFixture.Setup setup = runFixture.iris();
        Actor owner = setup.company().owner();
        long project = projectOf(owner, setup);
        as(owner, () -> plans.changePlan(Plan.TEAM, null));
        long id = finishedRun(owner, setup);
        clock.advance(Duration.ofHours(1));
        Instant t = clock.instant();
        tx(owner, () -> {   // 15 min of CPU: 0.03 on Team, 0.0225 on Enterprise
            metering.meter(new Metering.Segment(id, 9, 1, project, false, t.minusSeconds(900), t));
            return null;
        });
        BigDecimal billed = as(owner, () -> runs.cost(id)).amount();
        assertThat(billed).isEqualByComparingTo("0.03");

        clock.advance(Duration.ofMinutes(1));
        as(owner, () -> plans.changePlan(Plan.ENTERPRISE, null));
        assertThat(as(owner, () -> runs.cost(id)).amount()).as("the cost at the prices of its time")
                .isEqualByComparingTo(billed);
        List<InvoiceLine> lines = as(owner, () -> invoices.lines(invoices.invoices().get(0).getId()));
        assertThat(lines).extracting(InvoiceLine::getAmount).containsExactly(billed);
    }

    @Test
    void the_invoice_pdf_prints_a_japanese_project_name_and_the_csv_starts_with_a_byte_order_mark() throws Exception {
        Actor owner = tenancy.company().owner();
        String name = "東京ラボ — Müller & Co";
        long project = as(owner, () -> projects.create(new ProjectService.ProjectForm(name, "", "", false)).getId());
        as(owner, () -> plans.changePlan(Plan.TEAM, null));
        clock.advance(Duration.ofMinutes(1));
        post(owner, "tokyo", Resource.CPU, "3600", project, clock.instant().toString());
        Invoice draft = as(owner, () -> invoices.invoices()).get(0);

        Path pdf = Files.createTempFile("invoice", ".pdf");
        Files.write(pdf, as(owner, () -> documents.pdf(draft.getId())));
        Process pdftotext = new ProcessBuilder("pdftotext", "-enc", "UTF-8", pdf.toString(), "-")
                .redirectErrorStream(true).start();
        String text = new String(pdftotext.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(pdftotext.waitFor()).as("pdftotext (Debian's poppler-utils): " + text).isZero();
        assertThat(Files.size(pdf)).as("a subset of the font, not all of it").isLessThan(200_000);
        Files.delete(pdf);
        assertThat(text.replaceAll("\\s+", " ")).contains(name).contains("0.12 USD");

        String csv = as(owner, () -> documents.csv(draft.getId()));
        assertThat(csv).startsWith("\uFEFFinvoice,").contains(name + " · Team plan");
    }

    @Test
    void no_cell_of_the_invoice_and_usage_csvs_starts_a_formula_and_amounts_stay_numbers() {
        Actor owner = tenancy.company().owner();
        String name = "=HYPERLINK(\"https://evil.example\",\"x\")";
        long project = as(owner, () -> projects.create(new ProjectService.ProjectForm(name, "", "", false)).getId());
        as(owner, () -> plans.changePlan(Plan.TEAM, null));
        clock.advance(Duration.ofMinutes(1));
        Instant from = clock.instant();
        tx(owner, () -> ledger.record(owner.tenantId(), new Usage("-2+3", Resource.CPU, new BigDecimal("3600"),
                project, null, from, from.plusSeconds(3600))));
        Invoice draft = as(owner, () -> invoices.invoices()).get(0);

        String invoiceCsv = as(owner, () -> documents.csv(draft.getId()));
        // An invoice line's description starts with the resource ("CPU time · <project> · Team plan"), so the name
        // cannot start a cell there; still, no cell of the invoice starts a formula.
        assertThat(invoiceCsv).contains("\"CPU time · =HYPERLINK(")
                .doesNotContainPattern("(?m)(^|,)\"?([=+@\\t]|\\r(?!\\n))");
        String usageCsv = as(owner, () -> usage.exportCsv(YearMonth.from(from.atZone(ZoneOffset.UTC))));
        assertThat(usageCsv.lines().skip(1).toList()).singleElement().satisfies(line -> assertThat(line)
                .contains(",'-2+3,CPU,3600"));
    }

    @Test
    void a_company_whose_books_are_not_in_a_priced_currency_is_told_its_budgets_are_not_charged() {
        RunFixture.Setup setup = runFixture.iris();
        Actor owner = setup.company().owner();
        RunService.Submission submission = new RunService.Submission(setup.versionId(), RunFixture.mlp(3), "cpu", 50);
        assertThat(as(owner, () -> budgets.notChargedNote())).isEmpty();
        assertThat(as(owner, () -> runs.estimate(submission)).describe()).doesNotContain("not charged");

        as(owner, () -> budgetService.changeCurrency("EUR"));
        assertThat(as(owner, () -> budgets.notChargedNote())).as("Runway prices in EUR").isEmpty();

        as(owner, () -> budgetService.changeCurrency("JPY"));
        assertThat(as(owner, () -> plans.current()).getCurrency().getCurrencyCode()).isEqualTo("USD");
        assertThat(as(owner, () -> budgets.notChargedNote())).hasValueSatisfying(note -> assertThat(note)
                .contains("billed in USD").contains("books are in JPY").contains("not charged automatically"));
        assertThat(as(owner, () -> runs.estimate(submission)).describe())
                .contains("USD").contains("compute budgets are not charged automatically");
    }

    @Test
    void the_free_plan_runs_on_cpus_within_its_monthly_allowance() {
        RunFixture.Setup setup = runFixture.iris();
        Actor owner = setup.company().owner();
        long project = projectOf(owner, setup);
        assertThat(as(owner, () -> plans.current()).getPlan()).isEqualTo(Plan.FREE);
        BadInputException gpu = catchBadInput(() -> as(owner, () -> runs.estimate(new RunService.Submission(
                setup.versionId(), RunFixture.mlp(3), "gpu", 50))));
        assertThat(gpu.field()).isEqualTo("device");
        RunCharges.Estimate estimate = as(owner, () -> runs.estimate(new RunService.Submission(setup.versionId(),
                RunFixture.mlp(3), "cpu", 50)));
        assertThat(estimate.amount()).isEqualByComparingTo("0");
        assertThat(estimate.describe()).contains("CPU time");

        Instant t = clock.instant();
        tx(owner, () -> ledger.record(owner.tenantId(), new Usage("cpu-earlier", Resource.CPU,
                new BigDecimal("36000"), project, null, t.minusSeconds(36_000), t)));   // 600 CPU-minutes
        BadInputException allowance = catchBadInput(() -> as(owner, () -> runs.submit(new RunService.Submission(
                setup.versionId(), RunFixture.mlp(3), "cpu", 50))));
        assertThat(allowance.field()).isEqualTo("budget");
        assertThat(allowance.getMessage()).contains("600 CPU-minutes").contains("Team plan");
        assertThat(as(owner, () -> runs.list(null))).isEmpty();
    }

    @Test
    void storage_is_metered_in_gigabyte_hours_once_a_day() {
        RunFixture.Setup setup = runFixture.iris();
        Actor owner = setup.company().owner();
        long bytes = as(owner, () -> datasets.version(setup.versionId()).getSizeBytes());
        LocalDate tomorrow = LocalDate.ofInstant(clock.instant(), java.time.ZoneOffset.UTC).plusDays(1);
        assertThat(tx(owner, () -> storage.meter(owner.tenantId(), tomorrow))).isEqualTo(1);
        assertThat(tx(owner, () -> storage.meter(owner.tenantId(), tomorrow))).isZero();
        BigDecimal gbHours = tx(owner, () -> (BigDecimal) em.createNativeQuery(
                "select quantity from usage_event where resource = 'STORAGE'").getSingleResult());
        assertThat(gbHours).isEqualByComparingTo(BigDecimal.valueOf(bytes * 24L)
                .divide(new BigDecimal(1_000_000_000L), 6, RoundingMode.HALF_UP));
    }

    // ---- helpers ----

    private long finishedRun(Actor owner, RunFixture.Setup setup) {
        long id = as(owner, () -> runs.submit(new RunService.Submission(setup.versionId(), RunFixture.mlp(3), "cpu",
                50)).getId());
        await().pollInSameThread().atMost(Duration.ofSeconds(30))
                .until(() -> as(owner, () -> runs.get(id)).getStatus() == Run.Status.SUCCEEDED);
        return id;
    }

    /** Another finished run like {@code id}, as a row only (its usage is posted by the test). */
    private long copyOf(Actor owner, long id) {
        return tx(owner, () -> ((Number) em.createNativeQuery("""
                        insert into run (tenant_id, project_id, dataset_version_id, kind, template, hyperparameters,
                                         requested_device, priority, status, started_by, created_at, finished_at)
                        select tenant_id, project_id, dataset_version_id, kind, template, hyperparameters,
                               requested_device, priority, status, started_by, created_at, finished_at
                        from run where id = :id returning id""").setParameter("id", id).getSingleResult())
                .longValue());
    }

    private void post(Actor owner, String name, Resource resource, String seconds, long project, String start) {
        Instant from = Instant.parse(start);
        tx(owner, () -> ledger.record(owner.tenantId(), new Usage("run:x:" + name, resource, new BigDecimal(seconds),
                project, null, from, from.plusSeconds(Long.parseLong(seconds)))));
    }

    private long projectOf(Actor owner, RunFixture.Setup setup) {
        return as(owner, () -> datasets.dataset(datasets.version(setup.versionId()).getDatasetId()).getProjectId());
    }

    private void moveTo(String instant) {
        clock.advance(Duration.between(clock.instant(), Instant.parse(instant)));
    }

    private static BadInputException catchBadInput(Runnable work) {
        try {
            work.run();
        } catch (BadInputException e) {
            return e;
        }
        throw new AssertionError("expected a BadInputException");
    }
}
