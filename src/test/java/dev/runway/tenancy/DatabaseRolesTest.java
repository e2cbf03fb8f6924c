package dev.runway.tenancy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import dev.runway.api.ApiKeyService;
import dev.runway.testing.TenancyFixture;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * The application's database role cannot become the owner: it creates nothing anywhere, cannot hijack the owner's
 * SECURITY DEFINER functions, cannot rewrite Flyway's history, and reads only its own tenant's queue state.
 * Everything here runs through the application's own DataSource, which logs in as {@code runway_app}.
 */
@QuarkusTest
class DatabaseRolesTest {

    private static final String INSUFFICIENT_PRIVILEGE = "42501";

    @Inject
    DataSource dataSource;

    @Inject
    EntityManager em;

    @Inject
    TenancyFixture fixture;

    @Inject
    ApiKeyService keys;

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String url;

    @ConfigProperty(name = "quarkus.flyway.username")
    String migrator;

    @ConfigProperty(name = "quarkus.flyway.password")
    String migratorPassword;

    @Test
    void the_app_role_creates_no_function_operator_table_or_type_in_any_schema_it_can_see() throws SQLException {
        // pg_temp (the session's own temporary schema) is left out: PostgreSQL lets every role with TEMP on the
        // database create there by design, and nothing in it can shadow what a definer function uses (functions and
        // operators are never looked up in pg_temp, and definer functions qualify their tables).
        List<String> schemas = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("select nspname from pg_namespace "
                        + "where has_schema_privilege(oid, 'USAGE') and nspname not like 'pg\\_temp\\_%' "
                        + "and nspname not like 'pg\\_toast\\_temp\\_%' order by nspname")) {
            assertThat(currentUser(c)).isEqualTo("runway_app");
            while (r.next()) {
                schemas.add(r.getString(1));
            }
        }
        assertThat(schemas).contains("public", "pg_catalog");
        for (String schema : schemas) {
            assertRefused("create function " + schema + ".rw_probe() returns integer language sql as 'select 1'");
            assertRefused("create operator " + schema + ".=== (leftarg = integer, rightarg = integer, "
                    + "function = pg_catalog.int4eq)");
            assertRefused("create table " + schema + ".rw_probe (id integer)");
            assertRefused("create type " + schema + ".rw_probe as (id integer)");
        }
        assertRefused("create schema rw_probe");
    }

    @Test
    void the_app_role_cannot_plant_an_operator_for_api_key_lookup_and_the_lookup_still_answers() throws Exception {
        Key key = newKey();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            // Its own functions in pg_temp are allowed (see above); what would make them dangerous is an operator in
            // a schema that the definer function searches, and creating one is refused.
            s.execute("create function pg_temp.rw_always(varchar, varchar) returns boolean language sql "
                    + "as 'select true'");
            s.execute("create function pg_temp.rw_always(bpchar, varchar) returns boolean language sql "
                    + "as 'select true'");
            try {
                assertRefused(c, "create function public.rw_always(varchar, varchar) returns boolean language sql "
                        + "as 'select true'");
                assertRefused(c, "create operator public.= (leftarg = varchar, rightarg = varchar, "
                        + "function = pg_temp.rw_always)");
                assertRefused(c, "create operator public.= (leftarg = bpchar, rightarg = varchar, "
                        + "function = pg_temp.rw_always)");
            } finally {
                s.execute("drop function pg_temp.rw_always(varchar, varchar)");
                s.execute("drop function pg_temp.rw_always(bpchar, varchar)");
            }
        }
        assertThat(lookup(key.prefix(), key.secretHash())).containsExactly(key.tenantId());
        assertThat(lookup(key.prefix(), "0".repeat(64))).isEmpty();
        assertThat(lookup("hijack", "hijack")).isEmpty();
    }

    @Test
    void api_key_lookup_ignores_an_operator_planted_in_public_by_a_role_that_may_create_there() throws Exception {
        // Defence in depth: even if someone with CREATE on public planted operators that say "equal" to a marker,
        // the definer function never resolves an operator outside pg_catalog. The planted operators stay correct for
        // every other value, so other work in this database is unaffected while they exist.
        Key key = newKey();
        try (Connection owner = DriverManager.getConnection(url, migrator, migratorPassword);
                Statement s = owner.createStatement()) {
            s.execute("set role runway_owner");
            s.execute("""
                    create function public.rw_planted(varchar, varchar) returns boolean language sql
                    set search_path = pg_catalog as
                    'select pg_catalog.texteq($1::pg_catalog.text, $2::pg_catalog.text)
                            or pg_catalog.texteq($2::pg_catalog.text, ''rw-planted'')'""");
            s.execute("""
                    create function public.rw_planted(bpchar, varchar) returns boolean language sql
                    set search_path = pg_catalog as
                    'select pg_catalog.texteq($1::pg_catalog.text, $2::pg_catalog.text)
                            or pg_catalog.texteq($2::pg_catalog.text, ''rw-planted'')'""");
            s.execute("create operator public.= (leftarg = varchar, rightarg = varchar, function = public.rw_planted)");
            s.execute("create operator public.= (leftarg = bpchar, rightarg = varchar, function = public.rw_planted)");
            try {
                assertThat(lookup("rw-planted", "rw-planted")).isEmpty();
                assertThat(lookup(key.prefix(), "rw-planted")).isEmpty();
                assertThat(lookup(key.prefix(), key.secretHash())).containsExactly(key.tenantId());
            } finally {
                s.execute("drop operator public.= (varchar, varchar)");
                s.execute("drop operator public.= (bpchar, varchar)");
                s.execute("drop function public.rw_planted(varchar, varchar)");
                s.execute("drop function public.rw_planted(bpchar, varchar)");
            }
        }
    }

    @Test
    void every_security_definer_function_searches_only_pg_catalog_and_pg_temp() throws SQLException {
        List<String> definers = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("""
                        select p.oid::regprocedure::text, coalesce(array_to_string(p.proconfig, ';'), '')
                        from pg_proc p join pg_namespace n on n.oid = p.pronamespace
                        where p.prosecdef and n.nspname not in ('pg_catalog', 'information_schema')""")) {
            while (r.next()) {
                definers.add(r.getString(1));
                assertThat(r.getString(2)).as(r.getString(1)).contains("search_path=pg_catalog, pg_temp")
                        .doesNotContain("public");
            }
        }
        assertThat(definers).anyMatch(d -> d.startsWith("api_key_lookup("));
    }

    @Test
    void the_app_role_may_not_touch_flyway_history() throws SQLException {
        // Reading is refused too: the application has no use for it, and the migrator reads it with its own login.
        assertRefused("select count(*) from flyway_schema_history");
        assertRefused("insert into flyway_schema_history (installed_rank, version, description, type, script, "
                + "installed_by, execution_time, success) values (999, '999', 'x', 'SQL', 'x', 'x', 0, true)");
        assertRefused("update flyway_schema_history set success = false");
        assertRefused("delete from flyway_schema_history");
        assertRefused("truncate flyway_schema_history");
    }

    @Test
    void a_tenant_reads_only_its_own_queue_state() {
        TenancyFixture.Company a = fixture.company();
        TenancyFixture.Company b = fixture.company();
        for (TenancyFixture.Company company : List.of(a, b)) {
            TenantContext.runAs(company.owner(), () -> QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(
                    "insert into tenant_queue_state (tenant_id) values (:t) on conflict do nothing")
                    .setParameter("t", company.owner().tenantId()).executeUpdate()));
        }
        List<?> seen = TenantContext.runAs(a.owner(), () -> QuarkusTransaction.requiringNew().call(() ->
                em.createNativeQuery("select tenant_id from tenant_queue_state").getResultList()));
        assertThat(seen).extracting(t -> ((Number) t).longValue()).containsExactly(a.owner().tenantId());
        List<?> none = QuarkusTransaction.requiringNew().call(() ->
                em.createNativeQuery("select tenant_id from tenant_queue_state").getResultList());
        assertThat(none).isEmpty();
    }

    @Test
    void admission_learns_from_the_owner_run_function_only_whether_another_tenant_goes_first() throws SQLException {
        long a = fixture.company().owner().tenantId();
        long b = fixture.company().owner().tenantId();
        // Uncommitted and rolled back, so that no executor ever sees the waiting run of B.
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("insert into scheduled_tasks (task_name, task_instance, execution_time, picked, version, "
                        + "priority) values ('run:cpu', '" + b + "-0', now() - interval '1 second', false, 1, 10)");
                actAs(c, a);
                assertThat(anotherTenantGoesFirst(c, 5, "cpu")).isTrue();
                assertThat(anotherTenantGoesFirst(c, 5, "gpu")).as("B waits in another pool").isFalse();
                assertThat(anotherTenantGoesFirst(c, Short.MAX_VALUE, "cpu")).isFalse();
                actAs(c, b);
                assertThat(anotherTenantGoesFirst(c, Short.MAX_VALUE, "cpu")).isFalse();
                actAs(c, null);
                assertThatThrownBy(() -> anotherTenantGoesFirst(c, 5, "cpu"))
                        .hasMessageContaining("needs app.tenant_id");
            } finally {
                c.rollback();
                c.setAutoCommit(true);
            }
        }
    }

    private static void actAs(Connection c, Long tenant) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("select set_config('app.tenant_id', ?, true)")) {
            s.setString(1, tenant == null ? "" : tenant.toString());
            s.execute();
        }
    }

    private static boolean anotherTenantGoesFirst(Connection c, int priority, String pool) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("select public.run_queue_another_tenant_goes_first(?, ?)")) {
            s.setInt(1, priority);
            s.setString(2, pool);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getBoolean(1);
            }
        }
    }

    private record Key(long tenantId, String prefix, String secretHash) {}

    private Key newKey() {
        TenancyFixture.Company company = fixture.company();
        String key = TenantContext.runAs(company.owner(), () -> keys.create("roles", Role.VIEWER, null)).key();
        String[] parts = key.split("_", 3);
        return new Key(company.owner().tenantId(), parts[1], Tokens.sha256(parts[2]));
    }

    /** The tenants whose keys api_key_lookup returns, called as the application role with no tenant set. */
    private List<Long> lookup(String prefix, String secretHash) throws SQLException {
        List<Long> tenants = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("select tenant_id from public.api_key_lookup("
                        + "cast(? as varchar), cast(? as varchar))")) {
            s.setString(1, prefix);
            s.setString(2, secretHash);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    tenants.add(r.getLong(1));
                }
            }
        }
        return tenants;
    }

    private void assertRefused(String sql) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            assertRefused(c, sql);
        }
    }

    /** In a transaction rolled back afterwards, so that nothing stays behind even on the old schema. */
    private static void assertRefused(Connection c, String sql) throws SQLException {
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            s.execute(sql);
            fail("Allowed to the application role: " + sql);
        } catch (SQLException e) {
            assertThat(e.getSQLState()).as(sql + ": " + e.getMessage()).isEqualTo(INSUFFICIENT_PRIVILEGE);
        } finally {
            c.rollback();
            c.setAutoCommit(autoCommit);
        }
    }

    private static String currentUser(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("select current_user")) {
            r.next();
            return r.getString(1);
        }
    }
}
