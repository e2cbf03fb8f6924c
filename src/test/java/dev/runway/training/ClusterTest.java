package dev.runway.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.runway.base.AccessDeniedException;
import dev.runway.billing.Invoice;
import dev.runway.billing.InvoiceService;
import dev.runway.billing.Plan;
import dev.runway.billing.PlanService;
import dev.runway.billing.Resource;
import dev.runway.billing.Usage;
import dev.runway.billing.UsageLedger;
import dev.runway.budget.BudgetService;
import dev.runway.dataset.Preparation;
import dev.runway.tenancy.Actor;
import dev.runway.tenancy.Role;
import dev.runway.tenancy.TenantContext;
import dev.runway.testing.OperatorFixture;
import dev.runway.testing.TenancyFixture;
import dev.runway.testing.TestClock;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The operator's read side: only operators read it; nodes and the queue by pool as the nodes and db-scheduler wrote
 * them; every company's plan, usage this month (as its invoice rates it), runs and members across tenants.
 */
@QuarkusTest
class ClusterTest {

    @Inject
    Cluster cluster;

    @Inject
    OperatorFixture operators;

    @Inject
    TenancyFixture tenancy;

    @Inject
    RunFixture runs;

    @Inject
    PlanService plans;

    @Inject
    BudgetService budget;

    @Inject
    UsageLedger ledger;

    @Inject
    InvoiceService invoices;

    @Inject
    EntityManager em;

    @Inject
    TestClock clock;

    @Test
    void only_a_platform_operator_reads_the_cluster() {
        TenancyFixture.Company company = tenancy.company();
        Actor operator = operators.operator();
        for (Actor other : List.of(company.owner(), tenancy.member(company, Role.ADMIN),
                // The operator's own API key is a program, not the operator.
                new Actor(operator.userId(), operator.tenantId(), Role.OWNER))) {
            TenantContext.runAs(other, () -> {
                assertThatThrownBy(() -> cluster.snapshot()).isInstanceOf(AccessDeniedException.class);
                assertThatThrownBy(() -> cluster.companies()).isInstanceOf(AccessDeniedException.class);
                assertThatThrownBy(() -> cluster.nodes()).isInstanceOf(AccessDeniedException.class);
                assertThatThrownBy(() -> cluster.queue()).isInstanceOf(AccessDeniedException.class);
            });
        }
        assertThatThrownBy(() -> cluster.snapshot()).as("nobody acting").isInstanceOf(AccessDeniedException.class);
        assertThat(TenantContext.runAs(operator, () -> cluster.snapshot().companies())).isNotEmpty();
    }

    @Test
    void nodes_and_the_queue_of_two_pools_show_what_the_nodes_and_the_queue_hold() {
        String id = TenancyFixture.unique();
        String a = "a-" + id;
        String b = "b-" + id;
        clock.advance(OperatorFixture.AHEAD);
        Instant now = clock.instant();
        List<String> names = List.of("web-" + id, "worker-" + id, "dead-" + id, "drain-" + id);
        try {
            operators.node(new OperatorFixture.NodeRow(names.get(0), "web", a, a, 2, 1, 0, true, false,
                    now.minusSeconds(600), now.minusSeconds(1)));
            operators.node(new OperatorFixture.NodeRow(names.get(1), "worker", a, a + "," + b, 4, 2, 2, true, false,
                    now.minusSeconds(300), now.minusMillis(500)));
            // Its heartbeat stopped a minute ago: gone, and no capacity of pool b any more.
            operators.node(new OperatorFixture.NodeRow(names.get(2), "worker", b, b, 4, 4, 4, true, false,
                    now.minusSeconds(3600), now.minusSeconds(60)));
            operators.node(new OperatorFixture.NodeRow(names.get(3), "worker", a, a, 3, 1, 0, true, true,
                    now.minusSeconds(3600), now.minusSeconds(1)));
            operators.execution(a, "1-" + id, now.minusSeconds(40), false);
            operators.execution(a, "2-" + id, now.minusSeconds(5), false);
            operators.execution(a, "3-" + id, now.minusSeconds(90), true);
            operators.execution(b, "4-" + id, now.minusSeconds(20), false);
            // Deferred to later: queued, but not yet waiting.
            operators.execution(b, "5-" + id, now.plusSeconds(30), false);

            Cluster.Snapshot snapshot = TenantContext.runAs(operators.operator(), () -> cluster.snapshot());

            Map<String, Cluster.Node> nodes = snapshot.nodes().stream()
                    .collect(Collectors.toMap(Cluster.Node::name, Function.identity()));
            assertThat(nodes).containsKeys(names.toArray(String[]::new));
            Cluster.Node worker = nodes.get(names.get(1));
            assertThat(worker.role()).isEqualTo("worker");
            assertThat(worker.serves()).containsExactly(a, b);
            assertThat(List.of(worker.busy(), worker.slots(), worker.gpus())).containsExactly(2, 4, 2);
            assertThat(worker.gone()).isFalse();
            assertThat(worker.heartbeatAge()).isLessThan(Duration.ofSeconds(5));
            Cluster.Node dead = nodes.get(names.get(2));
            assertThat(dead.gone()).isTrue();
            assertThat(dead.heartbeatAge()).isGreaterThanOrEqualTo(Duration.ofSeconds(60));
            assertThat(nodes.get(names.get(3)).draining()).isTrue();
            assertThat(nodes.get(names.get(3)).gone()).isFalse();

            Map<String, Cluster.PoolQueue> pools = snapshot.queue().stream()
                    .collect(Collectors.toMap(Cluster.PoolQueue::pool, Function.identity()));
            Cluster.PoolQueue poolA = pools.get(a);
            assertThat(List.of(poolA.queued(), poolA.running())).containsExactly(2L, 1L);
            assertThat(poolA.oldestQueued().toSeconds()).isCloseTo(40, within(5L));
            // The web node and the worker; the draining node takes nothing new.
            assertThat(List.of(poolA.nodes(), poolA.busy(), poolA.slots())).containsExactly(2, 3, 6);
            assertThat(poolA.stranded()).isFalse();
            Cluster.PoolQueue poolB = pools.get(b);
            assertThat(List.of(poolB.queued(), poolB.running())).containsExactly(2L, 0L);
            assertThat(poolB.oldestQueued().toSeconds()).isCloseTo(20, within(5L));
            assertThat(List.of(poolB.nodes(), poolB.busy(), poolB.slots())).containsExactly(1, 2, 4);

            // When the worker stops too, pool b's runs wait for no one.
            operators.clear(List.of(names.get(1)), List.of());
            Cluster.PoolQueue alone = TenantContext.runAs(operators.operator(), () -> cluster.queue()).stream()
                    .filter(q -> q.pool().equals(b)).findFirst().orElseThrow();
            assertThat(alone.nodes()).isZero();
            assertThat(alone.stranded()).isTrue();
        } finally {
            clock.reset();
            operators.clear(names, List.of(a, b));
        }
    }

    @Test
    void companies_show_plan_usage_this_month_runs_and_members_across_tenants() {
        RunFixture.Setup team = runs.preparedIn(tenancy.company(), "iris.csv", "species",
                List.of("sepal_length", "sepal_width", "petal_length", "petal_width"),
                Preparation.TaskType.CLASSIFICATION);
        TenancyFixture.Company enterprise = tenancy.company();
        tenancy.member(team.company(), Role.ENGINEER);
        tenancy.member(team.company(), Role.VIEWER);
        Actor teamOwner = team.company().owner();
        long teamProject = TenantContext.runAs(teamOwner, () -> QuarkusTransaction.requiringNew().call(() ->
                ((Number) em.createNativeQuery("select d.project_id from dataset_version v join dataset d "
                        + "on d.id = v.dataset_id where v.id = :v").setParameter("v", team.versionId())
                        .getSingleResult()).longValue()));
        TenantContext.runAs(teamOwner, () -> {
            plans.changePlan(Plan.TEAM, null);
            // Usage is rated by the plan in force when its window starts: after the change.
            Instant start = clock.instant();
            insertRun(team.versionId(), teamOwner.userId(), "RUNNING");
            insertRun(team.versionId(), teamOwner.userId(), "RUNNING");
            insertRun(team.versionId(), teamOwner.userId(), "QUEUED");
            insertRun(team.versionId(), teamOwner.userId(), "SUCCEEDED");
            QuarkusTransaction.requiringNew().run(() -> ledger.recordAll(teamOwner.tenantId(), List.of(
                    // 1.5 GPU-hours at 2.40 USD = 3.60; 1000 CPU-seconds at 0.12 USD an hour = 0.0333… → 0.03, on
                    // each of two lines (the project's, the company's): rounded per line, as the invoice does.
                    new Usage("op:gpu", Resource.GPU, new BigDecimal("5400"), teamProject, null, start,
                            start.plusSeconds(5400)),
                    new Usage("op:cpu:p", Resource.CPU, new BigDecimal("1000"), teamProject, null, start,
                            start.plusSeconds(1000)),
                    new Usage("op:cpu:c", Resource.CPU, new BigDecimal("1000"), null, null, start,
                            start.plusSeconds(1000)))));
        });
        TenantContext.runAs(enterprise.owner(), () -> {
            budget.changeCurrency("EUR");
            plans.changePlan(Plan.ENTERPRISE, null);
            Instant start = clock.instant();
            QuarkusTransaction.requiringNew().run(() -> ledger.recordAll(enterprise.owner().tenantId(), List.of(
                    // 1 GPU-hour at 1.75 EUR; 1 GB-month at 0.035 EUR, HALF_UP → 0.04.
                    new Usage("op:gpu", Resource.GPU, new BigDecimal("3600"), null, null, start,
                            start.plusSeconds(3600)),
                    new Usage("op:storage", Resource.STORAGE, new BigDecimal("730"), null, null, start,
                            start.plusSeconds(3600)))));
        });

        List<Cluster.Company> all = TenantContext.runAs(operators.operator(), () -> cluster.companies());

        Cluster.Company t = company(all, teamOwner.tenantId());
        assertThat(t.plan()).isEqualTo(Plan.TEAM.label());
        assertThat(t.currency().getCurrencyCode()).isEqualTo("USD");
        assertThat(t.usageThisMonth()).isEqualByComparingTo("3.66");
        assertThat(List.of(t.runningRuns(), t.queuedRuns(), t.members())).containsExactly(2L, 1L, 3L);
        Cluster.Company e = company(all, enterprise.owner().tenantId());
        assertThat(e.plan()).isEqualTo(Plan.ENTERPRISE.label());
        assertThat(e.currency().getCurrencyCode()).isEqualTo("EUR");
        assertThat(e.usageThisMonth()).isEqualByComparingTo("1.79");
        assertThat(List.of(e.runningRuns(), e.queuedRuns(), e.members())).containsExactly(0L, 0L, 1L);
        Cluster.Company free = company(all, operators.operator().tenantId());
        assertThat(free.plan()).isEqualTo(Plan.FREE.label());
        assertThat(free.usageThisMonth()).isEqualByComparingTo("0");

        // The same figures as each company's own draft invoice, read by its owner under row-level security.
        for (Actor owner : List.of(teamOwner, enterprise.owner())) {
            BigDecimal subtotal = TenantContext.runAs(owner, () -> draft().getSubtotal());
            assertThat(company(all, owner.tenantId()).usageThisMonth()).isEqualByComparingTo(subtotal);
        }
    }

    private Invoice draft() {
        YearMonth month = YearMonth.from(clock.instant().atZone(ZoneOffset.UTC));
        return invoices.invoices().stream().filter(i -> i.getPeriod().equals(month)).findFirst().orElseThrow();
    }

    private static Cluster.Company company(List<Cluster.Company> all, long tenantId) {
        return all.stream().filter(c -> c.tenantId() == tenantId).findFirst().orElseThrow();
    }

    private void insertRun(long versionId, long userId, String status) {
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("""
                        insert into run (tenant_id, project_id, dataset_version_id, kind, template, hyperparameters,
                                         requested_device, priority, status, started_by, created_at)
                        select v.tenant_id, d.project_id, v.id, 'TRAIN', 'MLP', '{}'::jsonb, 'cpu', 0, :status,
                               :user, now()
                        from dataset_version v join dataset d on d.id = v.dataset_id where v.id = :version""")
                .setParameter("status", status).setParameter("user", userId).setParameter("version", versionId)
                .executeUpdate());
    }
}
