package dev.runway.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runway.dataset.Preparation.TaskType;
import dev.runway.project.ProjectService;
import dev.runway.tenancy.Actor;
import dev.runway.tenancy.TenantContext;
import dev.runway.testing.TenancyFixture;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * A dataset version's content is immutable in the database itself, whatever the role: the application's, the owner's
 * and the migrator's. Only its preparation settings change, and each preparation it had stays as a revision.
 */
@QuarkusTest
class DatasetImmutabilityTest {

    /** Every update of a content column, each refused. */
    private static final List<String> CONTENT_UPDATES = List.of(
            "sha256 = repeat('0', 64)", "size_bytes = size_bytes + 1", "row_count = 1", "column_count = 1",
            "original_filename = 'other.csv'", "delimiter = ';'", "profile = '{}'::jsonb", "profile = profile",
            "version = version + 100", "dataset_id = dataset_id", "uploaded_by = uploaded_by",
            "uploaded_at = now()", "tenant_id = tenant_id");

    @Inject
    DataSource dataSource;

    @Inject
    DatasetService datasets;

    @Inject
    ProjectService projects;

    @Inject
    TenancyFixture fixture;

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String url;

    @ConfigProperty(name = "quarkus.flyway.username")
    String migrator;

    @ConfigProperty(name = "quarkus.flyway.password")
    String migratorPassword;

    @Test
    void the_owner_and_the_migrator_cannot_change_a_version_s_content_but_may_change_its_preparation()
            throws SQLException {
        Version v = version();
        for (boolean asOwner : new boolean[] {true, false}) {
            try (Connection c = DriverManager.getConnection(url, migrator, migratorPassword);
                    Statement s = c.createStatement()) {
                if (asOwner) {
                    s.execute("set role runway_owner");
                }
                s.execute("select set_config('app.tenant_id', '" + v.tenantId() + "', false)");
                for (String update : CONTENT_UPDATES) {
                    assertThatThrownBy(() -> s.executeUpdate("update dataset_version set " + update
                            + " where id = " + v.id()))
                            .as((asOwner ? "owner: " : "migrator: ") + update)
                            .isInstanceOf(SQLException.class)
                            .hasMessageContaining("dataset version " + v.id() + " is immutable");
                }
                assertThat(s.executeUpdate("update dataset_version set preparation = preparation where id = "
                        + v.id())).isEqualTo(1);
            }
        }
        TenantContext.runAs(v.owner(), () -> {
            DatasetVersion after = datasets.version(v.id());
            assertThat(after.getSha256()).isEqualTo(v.sha256());
            assertThat(after.getOriginalFilename()).isEqualTo("cities.csv");
            assertThat(datasets.profile(v.id()).rows()).isEqualTo(ROWS);
        });
    }

    @Test
    void the_application_s_role_cannot_change_a_version_s_content_either() throws SQLException {
        Version v = version();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("select set_config('app.tenant_id', '" + v.tenantId() + "', false)");
            for (String update : CONTENT_UPDATES) {
                // Refused by its grants (it may update the preparation column only) before the trigger is reached.
                assertThatThrownBy(() -> s.executeUpdate("update dataset_version set " + update + " where id = "
                        + v.id())).as(update).isInstanceOf(SQLException.class)
                        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"));
            }
            assertThat(s.executeUpdate("update dataset_version set preparation = preparation where id = " + v.id()))
                    .isEqualTo(1);
            s.execute("select set_config('app.tenant_id', '', false)");
        }
    }

    @Test
    void the_trigger_guards_every_column_but_the_preparation_and_fires_even_for_replication() throws SQLException {
        // A column added to dataset_version later must join the trigger's list (V28) or this fails.
        List<String> guarded = new ArrayList<>();
        List<String> columns = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(url, migrator, migratorPassword);
                Statement s = c.createStatement()) {
            try (ResultSet r = s.executeQuery("select event_object_column from information_schema"
                    + ".triggered_update_columns where trigger_name = 'dataset_version_content_immutable'")) {
                while (r.next()) {
                    guarded.add(r.getString(1));
                }
            }
            try (ResultSet r = s.executeQuery("select column_name from information_schema.columns "
                    + "where table_schema = 'public' and table_name = 'dataset_version'")) {
                while (r.next()) {
                    columns.add(r.getString(1));
                }
            }
            try (ResultSet r = s.executeQuery("select tgname, tgenabled from pg_trigger where tgname in "
                    + "('dataset_version_content_immutable', 'preparation_revision_immutable') order by tgname")) {
                List<String> enabled = new ArrayList<>();
                while (r.next()) {
                    enabled.add(r.getString(1) + " " + r.getString(2));
                }
                // 'A': ENABLE ALWAYS, so session_replication_role = replica does not switch them off.
                assertThat(enabled).containsExactly("dataset_version_content_immutable A",
                        "preparation_revision_immutable A");
            }
        }
        columns.remove("preparation");
        assertThat(guarded).containsExactlyInAnyOrderElementsOf(columns);
    }

    @Test
    void a_preparation_revision_is_a_record_that_nobody_changes() throws SQLException {
        Version v = version();
        TenantContext.runAs(v.owner(), () -> datasets.savePreparation(v.id(),
                Preparation.defaults("population", List.of("area"), TaskType.REGRESSION)));
        try (Connection c = DriverManager.getConnection(url, migrator, migratorPassword);
                Statement s = c.createStatement()) {
            s.execute("set role runway_owner");
            s.execute("select set_config('app.tenant_id', '" + v.tenantId() + "', false)");
            assertThatThrownBy(() -> s.executeUpdate("update preparation_revision set preparation = '{}'::jsonb "
                    + "where dataset_version_id = " + v.id())).isInstanceOf(SQLException.class)
                    .hasMessageContaining("is a record: it cannot change");
            try (ResultSet r = s.executeQuery("select count(*) from preparation_revision where dataset_version_id = "
                    + v.id())) {
                r.next();
                assertThat(r.getInt(1)).isEqualTo(1);
            }
        }
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("select set_config('app.tenant_id', '" + v.tenantId() + "', false)");
            for (String statement : List.of("update preparation_revision set revision = 9",
                    "delete from preparation_revision")) {
                assertThatThrownBy(() -> s.executeUpdate(statement + " where dataset_version_id = " + v.id()))
                        .as(statement).isInstanceOf(SQLException.class)
                        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"));
            }
            s.execute("select set_config('app.tenant_id', '', false)");
        }
    }

    @Test
    void each_distinct_preparation_saved_is_a_numbered_revision_and_saving_one_again_finds_it() {
        Version v = version();
        TenantContext.runAs(v.owner(), () -> {
            Preparation first = Preparation.defaults("population", List.of("area"), TaskType.REGRESSION);
            Preparation second = new Preparation("population", List.of("area"), TaskType.REGRESSION, 0.6, 0.2, 0.2,
                    7, Preparation.MissingValues.DROP_ROWS, false);
            datasets.savePreparation(v.id(), first);
            datasets.savePreparation(v.id(), second);
            assertThat(datasets.revisions(v.id())).extracting(DatasetService.RevisionUsed::revision,
                    DatasetService.RevisionUsed::current).containsExactly(
                    org.assertj.core.groups.Tuple.tuple(2, true), org.assertj.core.groups.Tuple.tuple(1, false));

            datasets.savePreparation(v.id(), first);
            List<DatasetService.RevisionUsed> revisions = datasets.revisions(v.id());
            assertThat(revisions).extracting(DatasetService.RevisionUsed::revision, DatasetService.RevisionUsed::current)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(2, false),
                            org.assertj.core.groups.Tuple.tuple(1, true));
            assertThat(datasets.currentRevision(v.id()).getRevision()).isEqualTo(1);
            assertThat(revisions.get(0).preparation()).isEqualTo(second);
            assertThat(revisions.get(0).preparation().describe()).isEqualTo("target population · 1 feature · "
                    + "regression · split 60/20/20 · seed 7 · missing rows dropped");
            assertThat(revisions.get(1).sha256()).hasSize(64).isNotEqualTo(revisions.get(0).sha256());
        });
    }

    private static final int ROWS = 20;

    private record Version(long id, long tenantId, String sha256, Actor owner) {}

    /** A fresh company's uploaded version (a few rows of made-up cities). */
    private Version version() {
        TenancyFixture.Company company = fixture.company();
        return TenantContext.runAs(company.owner(), () -> {
            long project = projects.create(new ProjectService.ProjectForm("Cities " + TenancyFixture.unique(), "", "",
                    true)).getId();
            try {
                StringBuilder csv = new StringBuilder("city,area,population\n");
                for (int i = 1; i <= ROWS; i++) {
                    csv.append("city ").append(i).append(',').append(100 + i * 7).append(',').append(i * 1000)
                            .append('\n');
                }
                DatasetVersion v = datasets.upload(project, "cities", "cities.csv", new ByteArrayInputStream(
                        csv.toString().getBytes(StandardCharsets.UTF_8)));
                return new Version(v.getId(), company.owner().tenantId(), v.getSha256(), company.owner());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
