package dev.runway.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runway.base.AccessDeniedException;
import dev.runway.base.BadInputException;
import dev.runway.base.NotFoundException;
import dev.runway.dataset.Preparation.MissingValues;
import dev.runway.dataset.Preparation.TaskType;
import dev.runway.project.Project;
import dev.runway.project.ProjectService;
import dev.runway.tenancy.Actor;
import dev.runway.tenancy.Role;
import dev.runway.tenancy.TenantContext;
import dev.runway.testing.TenancyFixture;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

@QuarkusTest
class DatasetServiceTest {

    @Inject
    DatasetService datasets;

    @Inject
    ProjectService projects;

    @Inject
    SampleProjectService samples;

    @Inject
    ContentStore store;

    @Inject
    TenancyFixture fixture;

    @Inject
    EntityManager em;

    @Test
    void an_upload_becomes_a_profiled_immutable_version_stored_once() throws IOException {
        TenancyFixture.Company company = fixture.company();
        byte[] iris = Files.readAllBytes(Path.of("samples/iris.csv"));
        TenantContext.runAs(company.owner(), () -> {
            long project = project("Flowers");
            DatasetVersion v1 = upload(project, "iris", iris);
            DatasetVersion v2 = upload(project, "iris", iris);

            assertThat(v1.getVersion()).isEqualTo(1);
            assertThat(v2.getVersion()).isEqualTo(2);
            assertThat(v1.getRowCount()).isEqualTo(150);
            assertThat(v1.getColumnCount()).isEqualTo(5);
            assertThat(v2.getSha256()).isEqualTo(v1.getSha256());
            assertThat(store.pathOf(v1.getSha256())).exists().hasSize(v1.getSizeBytes());
            assertThat(datasets.storageBytes()).isEqualTo(v1.getSizeBytes());
            assertThat(datasets.profile(v1.getId()).column("species").orElseThrow().topValues())
                    .extracting(ColumnProfile.ValueCount::count).containsOnly(50L);
            assertThat(datasets.list(project)).singleElement().satisfies(s -> {
                assertThat(s.versions()).isEqualTo(2);
                assertThat(s.latest().getId()).isEqualTo(v2.getId());
            });
            assertThat(datasets.preview(v1.getId()).rows()).hasSize(100).first()
                    .isEqualTo(List.of("5.1", "3.5", "1.4", "0.2", "setosa"));
        });
    }

    @Test
    void a_bad_file_stores_nothing() {
        TenancyFixture.Company company = fixture.company();
        TenantContext.runAs(company.owner(), () -> {
            long project = project("Bad data");
            assertThatThrownBy(() -> upload(project, "ragged", "a,b\n1,2\n3\n".getBytes(StandardCharsets.UTF_8)))
                    .isInstanceOf(BadInputException.class).hasMessageStartingWith("“ragged.csv”: Line 3");
            assertThat(datasets.list(project)).isEmpty();
            assertThat(datasets.storageBytes()).isZero();
        });
    }

    @Test
    void every_upload_refusal_names_the_file() {
        TenancyFixture.Company company = fixture.company();
        TenantContext.runAs(company.owner(), () -> {
            long project = project("Names");
            assertThatThrownBy(() -> datasets.upload(project, "prices", "prices-2026.csv",
                    new ByteArrayInputStream(new byte[0]))).isInstanceOf(BadInputException.class)
                    .hasMessage("“prices-2026.csv”: The file is empty: upload a CSV with a header row and data rows")
                    .extracting(e -> ((BadInputException) e).field()).isEqualTo("file");
            assertThatThrownBy(() -> datasets.upload(project, "prices", "latin.csv",
                    new ByteArrayInputStream("a,b\nk\u00f6ln,1\n".getBytes(StandardCharsets.ISO_8859_1))))
                    .hasMessageStartingWith("“latin.csv”: The file is not valid UTF-8");
            // Without a file name (an API body) the name the version would be stored under is used.
            assertThatThrownBy(() -> datasets.upload(project, "prices", null,
                    new ByteArrayInputStream("a,b\n".getBytes(StandardCharsets.UTF_8))))
                    .hasMessage("“prices.csv”: The file has a header but no rows of data");
        });
    }

    @Test
    void infinities_are_reported_and_decimal_commas_profiled_on_upload() {
        TenancyFixture.Company company = fixture.company();
        TenantContext.runAs(company.owner(), () -> {
            long project = project("Numbers");
            long id = upload(project, "eu", "x;y\n1,5;inf\n2,5;3\n".getBytes(StandardCharsets.UTF_8)).getId();
            CsvProfile profile = datasets.profile(id);
            assertThat(profile.decimalSeparator()).isEqualTo(',');
            assertThat(profile.column("x").orElseThrow().mean()).isEqualTo(2.0);
            assertThat(profile.column("y").orElseThrow().isNumeric()).isTrue();
            assertThat(profile.warnings()).singleElement().asString()
                    .startsWith("Column “y” has 1 infinite value (“inf” on line 2)");
        });
    }

    @Test
    void a_split_that_leaves_validation_or_test_empty_is_refused_at_its_field() {
        TenancyFixture.Company company = fixture.company();
        TenantContext.runAs(company.owner(), () -> {
            long project = project("Tiny");
            long id = upload(project, "four", "x,label\n1,a\n2,b\n3,a\n4,b\n".getBytes(StandardCharsets.UTF_8))
                    .getId();
            assertPrep(id, new Preparation("label", List.of("x"), TaskType.CLASSIFICATION, 0.7, 0.15, 0.15, 1,
                    MissingValues.IMPUTE, true), "validationRatio", "With 4 rows (split class by class: 2 “a”, 2 "
                    + "“b”), a validation share of 0.15 leaves no row for validation");
            assertPrep(id, new Preparation("x", List.of("label"), TaskType.REGRESSION, 0.8, 0.2, 0.0, 1,
                    MissingValues.IMPUTE, true), "testRatio", "The test share must be more than 0");
            assertPrep(id, new Preparation("x", List.of("label"), TaskType.REGRESSION, 0.75, 0.15, 0.1, 1,
                    MissingValues.IMPUTE, true), "testRatio", "With 4 rows, a test share of 0.1 leaves no row to "
                    + "test the model on");
            // No validation on purpose is allowed; each class keeps rows for training and testing.
            Preparation noValidation = new Preparation("label", List.of("x"), TaskType.CLASSIFICATION, 0.5, 0.0,
                    0.5, 1, MissingValues.IMPUTE, true);
            datasets.savePreparation(id, noValidation);
            assertThat(datasets.preparation(id)).contains(noValidation);
        });
    }

    @Test
    void the_size_cap_is_checked_on_the_server_while_the_bytes_arrive() throws IOException {
        assertThat(datasets.maxUploadMb()).isEqualTo(200);
        long cap = 1024 * 1024;
        InputStream endless = new InputStream() {
            long sent;

            @Override
            public int read() {
                return sent++ <= cap + 10 ? 'a' : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (sent > cap + 10) {
                    return -1;
                }
                java.util.Arrays.fill(b, off, off + len, (byte) 'a');
                sent += len;
                return len;
            }
        };
        assertThatThrownBy(() -> store.stage(endless, cap)).isInstanceOf(BadInputException.class)
                .hasMessageContaining("larger than the limit of 1 MB");
        try (var tmp = Files.list(store.pathOf("0".repeat(64)).getParent().getParent().getParent().getParent()
                .resolve("tmp"))) {
            assertThat(tmp.filter(p -> p.getFileName().toString().endsWith(".part"))).as("no partial file left")
                    .isEmpty();
        }
    }

    @Test
    void preparation_settings_are_checked_against_the_profile() {
        TenancyFixture.Company company = fixture.company();
        TenantContext.runAs(company.owner(), () -> {
            long project = project("Prep");
            long id = upload(project, "mixed", ("x,y,label,one\n1,2,a,k\n2,abc,b,k\n3,4,a,k\n"
                    + "4,5,b,k\n5,6,a,k\n6,7,b,k\n7,8,a,k\n8,9,b,k\n9,10,a,k\n10,11,b,k\n")
                    .getBytes(StandardCharsets.UTF_8)).getId();

            assertPrep(id, new Preparation("y", List.of("x"), TaskType.REGRESSION, 0.7, 0.1, 0.2, 1,
                    MissingValues.IMPUTE, true), "target", "line 3");
            assertPrep(id, new Preparation("nope", List.of("x"), TaskType.REGRESSION, 0.7, 0.1, 0.2, 1,
                    MissingValues.IMPUTE, true), "target", "no column “nope”");
            assertPrep(id, new Preparation("one", List.of("x"), TaskType.CLASSIFICATION, 0.7, 0.1, 0.2, 1,
                    MissingValues.IMPUTE, true), "target", "at least two classes");
            assertPrep(id, new Preparation("label", List.of("x"), TaskType.CLASSIFICATION, 0.7, 0.2, 0.2, 1,
                    MissingValues.IMPUTE, true), "trainRatio", "add up to 1");
            assertPrep(id, new Preparation("label", List.of("label"), TaskType.CLASSIFICATION, 0.7, 0.1, 0.2, 1,
                    MissingValues.IMPUTE, true), "features", "cannot also be a feature");

            Preparation ok = new Preparation("label", List.of("x"), TaskType.CLASSIFICATION, 0.6, 0.2, 0.2, 7,
                    MissingValues.DROP_ROWS, true);
            datasets.savePreparation(id, ok);
            assertThat(datasets.preparation(id)).contains(ok);
        });
    }

    @Test
    void previews_can_be_switched_off_and_csv_exports_neutralise_formulas() {
        TenancyFixture.Company company = fixture.company();
        TenantContext.runAs(company.owner(), () -> {
            long project = project("Export");
            long id = upload(project, "formulas", "name,note\n=1+2,+cmd\n@x,-3\nplain,\"a \"\"q\"\"\"\n"
                    .getBytes(StandardCharsets.UTF_8)).getId();
            assertThat(datasets.previewCsv(id)).isEqualTo("\"name\",\"note\"\r\n\"'=1+2\",\"'+cmd\"\r\n"
                    + "\"'@x\",\"'-3\"\r\n\"plain\",\"a \"\"q\"\"\"\r\n");

            Project p = projects.get(project);
            projects.update(project, new ProjectService.ProjectForm(p.getName(), "", "", false));
            assertThat(datasets.preview(id).hidden()).isTrue();
            assertThat(datasets.preview(id).rows()).isEmpty();
            assertThatThrownBy(() -> datasets.previewCsv(id)).hasMessageContaining("switched off");
        });
    }

    @Test
    void the_sample_project_holds_the_four_samples_with_preparation_settings() {
        TenancyFixture.Company company = fixture.company();
        TenantContext.runAs(company.owner(), () -> {
            Project project = samples.create();
            List<DatasetService.DatasetSummary> list = datasets.list(project.getId());
            assertThat(list).extracting(s -> s.dataset().getName())
                    .containsExactly("digits", "iris", "linear", "support tickets");
            assertThat(list).allSatisfy(s -> assertThat(datasets.preparation(s.latest().getId())).isPresent());
            assertThat(list.get(1).latest().getRowCount()).isEqualTo(150);
            assertThat(samples.create().getName()).isEqualTo("Sample project 2");
        });
    }

    @Test
    void roles_and_tenants_are_enforced() {
        TenancyFixture.Company a = fixture.company();
        TenancyFixture.Company b = fixture.company();
        Actor analyst = fixture.member(a, Role.ANALYST);
        long[] ids = TenantContext.runAs(a.owner(), () -> {
            long project = project("Secret");
            DatasetVersion v = upload(project, "iris", "a,b\n1,2\n".getBytes(StandardCharsets.UTF_8));
            return new long[] {project, v.getId(), v.getDatasetId()};
        });
        assertThatThrownBy(() -> TenantContext.runAs(analyst, () -> upload(ids[0], "more",
                "a,b\n1,2\n".getBytes(StandardCharsets.UTF_8)))).isInstanceOf(AccessDeniedException.class);
        assertThat(TenantContext.runAs(analyst, () -> datasets.list(null))).hasSize(1);

        TenantContext.runAs(b.owner(), () -> {
            assertThat(datasets.list(null)).isEmpty();
            assertThatThrownBy(() -> datasets.version(ids[1])).isInstanceOf(NotFoundException.class);
            assertThatThrownBy(() -> datasets.versions(ids[2])).isInstanceOf(NotFoundException.class);
            assertThatThrownBy(() -> datasets.preview(ids[1])).isInstanceOf(NotFoundException.class);
            assertThatThrownBy(() -> upload(ids[0], "x", "a,b\n1,2\n".getBytes(StandardCharsets.UTF_8)))
                    .isInstanceOf(NotFoundException.class);
            for (String table : List.of("dataset", "dataset_version", "project")) {
                List<?> tenants = QuarkusTransaction.requiringNew().call(() ->
                        em.createNativeQuery("select distinct tenant_id from " + table).getResultList());
                assertThat(tenants).allSatisfy(t -> assertThat(((Number) t).longValue())
                        .isEqualTo(b.owner().tenantId()));
            }
        });
    }

    private void assertPrep(long id, Preparation p, String field, String message) {
        assertThatThrownBy(() -> datasets.savePreparation(id, p)).isInstanceOf(BadInputException.class)
                .hasMessageContaining(message)
                .extracting(e -> ((BadInputException) e).field()).isEqualTo(field);
    }

    @Test
    void identical_bytes_keep_the_existing_version_unless_a_new_one_is_asked_for() throws IOException {
        TenancyFixture.Company company = fixture.company();
        byte[] iris = Files.readAllBytes(Path.of("samples/iris.csv"));
        TenantContext.runAs(company.owner(), () -> {
            long project = project("Twice");
            DatasetVersion v1 = upload(project, "iris", iris);
            DatasetVersion v2 = upload(project, "iris", "a,b\n1,2\n3,4\n".getBytes(StandardCharsets.UTF_8));

            DatasetService.Uploaded again = keep(project, "iris", "iris-copy.csv", iris);
            assertThat(again.existing()).isTrue();
            assertThat(again.version().getId()).isEqualTo(v1.getId());
            assertThat(datasets.versions(v1.getDatasetId())).hasSize(2);
            // Another dataset of the project is another series: the same bytes start it.
            DatasetService.Uploaded elsewhere = keep(project, "flowers", "iris.csv", iris);
            assertThat(elsewhere.existing()).isFalse();
            assertThat(elsewhere.version().getVersion()).isEqualTo(1);

            // "Add it anyway", as the console's dialog does: the stored bytes and profile again, the new file name.
            DatasetVersion v3 = datasets.addIdenticalVersion(again.version().getId(), "iris-copy.csv");
            assertThat(v3.getVersion()).isEqualTo(3);
            assertThat(v3.getSha256()).isEqualTo(v1.getSha256());
            assertThat(v3.getOriginalFilename()).isEqualTo("iris-copy.csv");
            assertThat(v3.getRowCount()).isEqualTo(150);
            assertThat(datasets.profile(v3.getId())).isEqualTo(datasets.profile(v1.getId()));
            assertThat(datasets.preview(v3.getId()).rows()).hasSize(100);
            // The newest version with those bytes is the one kept from now on.
            assertThat(keep(project, "iris", null, iris).version().getId()).isEqualTo(v3.getId());
            assertThat(keep(project, "iris", null, "a,b\n1,2\n3,4\n".getBytes(StandardCharsets.UTF_8)).version()
                    .getId()).isEqualTo(v2.getId());
            assertThat(datasets.versions(v1.getDatasetId())).hasSize(3);
        });
        Actor viewer = fixture.member(company, Role.VIEWER);
        long existing = TenantContext.runAs(company.owner(), () -> datasets.list(null).get(0).latest().getId());
        assertThatThrownBy(() -> TenantContext.runAs(viewer, () -> datasets.addIdenticalVersion(existing, "x.csv")))
                .isInstanceOf(AccessDeniedException.class);
    }

    private DatasetService.Uploaded keep(long project, String name, String filename, byte[] bytes) {
        return upload(project, name, filename, bytes, DatasetService.Identical.KEEP_EXISTING);
    }

    private long project(String name) {
        return projects.create(new ProjectService.ProjectForm(name + " " + TenancyFixture.unique(), "", "", true))
                .getId();
    }

    private DatasetVersion upload(long project, String name, byte[] bytes) {
        return upload(project, name, name + ".csv", bytes, DatasetService.Identical.ADD_VERSION).version();
    }

    private DatasetService.Uploaded upload(long project, String name, String filename, byte[] bytes,
            DatasetService.Identical identical) {
        try {
            return datasets.upload(project, name, filename, new ByteArrayInputStream(bytes), identical);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
