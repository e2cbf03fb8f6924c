package dev.runway.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.runway.base.AccessDeniedException;
import dev.runway.base.BadInputException;
import dev.runway.dataset.DatasetService;
import dev.runway.project.ProjectService;
import dev.runway.tenancy.Actor;
import dev.runway.tenancy.Role;
import dev.runway.tenancy.TenantContext;
import dev.runway.testing.TenancyFixture;
import dev.runway.training.Run;
import dev.runway.training.RunFixture;
import dev.runway.training.RunService;
import dev.runway.training.engine.Hyperparameters;
import dev.runway.training.engine.ImportedModels;
import dev.runway.training.engine.PreparedData;
import dev.runway.training.engine.Template;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Models made by scripts/make-test-models.py, imported as files: their evaluation reproduces the accuracy and MSE the
 * script printed (expected.json) on the same rows, broken files are refused with a message and leave nothing, and an
 * imported version lives in the registry like a trained one.
 */
@QuarkusTest
class ImportedModelsTest {

    static final Path MODELS = Path.of("src/test/resources/imported-models");
    static final JsonNode EXPECTED = read(MODELS.resolve("expected.json"));
    static final List<String> IRIS = List.of("sepal_length", "sepal_width", "petal_length", "petal_width");
    static final List<String> SPECIES = List.of("setosa", "versicolor", "virginica");

    @Inject
    TenancyFixture tenancy;

    @Inject
    ProjectService projects;

    @Inject
    DatasetService datasets;

    @Inject
    ModelImports imports;

    @Inject
    ModelService models;

    @Inject
    ModelLifecycle lifecycle;

    @Inject
    RunService runs;

    @Inject
    RunFixture runFixture;

    @Inject
    ModelFixture fixture;

    @Inject
    EntityManager em;

    @Inject
    jakarta.transaction.TransactionManager transactionManager;

    @ConfigProperty(name = "runway.storage.root")
    Path storageRoot;

    record Setup(TenancyFixture.Company company, Actor owner, long projectId, long iris, long linear) {}

    @Test
    void onnx_and_torchscript_classifiers_reproduce_the_scripts_accuracy_on_all_rows() {
        Setup s = setup();
        double expected = EXPECTED.at("/models/iris/accuracy").asDouble();
        List<Long> versions = new java.util.ArrayList<>();
        for (String[] file : new String[][] {{"iris.onnx", "onnx"}, {"iris.pt", "torchscript"}}) {
            ModelVersion version = TenantContext.runAs(s.owner(), () -> imports.importModel(s.projectId(),
                    iris("iris " + file[1], file[1]), open(file[0])));
            versions.add(version.getId());
            assertThat(version.isImported()).isTrue();
            assertThat(version.getRunId()).isNull();
            JsonNode result = evaluated(s.owner(), version.getId(), s.iris(), "all");
            assertThat(result.get("rows").asInt()).isEqualTo(EXPECTED.at("/models/iris/rowCount").asInt());
            System.out.printf("Imported %s: accuracy %.6f on %d rows (script: %.6f)%n", file[0],
                    result.at("/metrics/accuracy").asDouble(), result.get("rows").asInt(), expected);
            assertThat(result.at("/metrics/accuracy").asDouble()).as(file[0]).isCloseTo(expected, within(0.01));
            assertThat(result.get("confusion")).hasSize(3);
            assertThat(result.get("importance")).hasSize(4);
        }
        ModelService.Comparison comparison = TenantContext.runAs(s.owner(), () -> models.compare(versions.get(0),
                versions.get(1)));
        assertThat(comparison.metrics().get("accuracy")).hasSize(2)
                .allSatisfy(accuracy -> assertThat(accuracy).isCloseTo(expected, within(0.01)));
    }

    @Test
    void onnx_and_torchscript_regressions_reproduce_the_scripts_mse_and_give_residuals() {
        Setup s = setup();
        double expected = EXPECTED.at("/models/linear/mse").asDouble();
        for (String[] file : new String[][] {{"linear.onnx", "onnx"}, {"linear.pt", "torchscript"}}) {
            ModelVersion version = TenantContext.runAs(s.owner(), () -> imports.importModel(s.projectId(),
                    new ModelImports.Manifest("linear " + file[1], file[1], "regression", List.of("x"), "raw", "y",
                            null, null), open(file[0])));
            JsonNode result = evaluated(s.owner(), version.getId(), s.linear(), "all");
            System.out.printf("Imported %s: mse %.6f on %d rows (script: %.6f)%n", file[0],
                    result.at("/metrics/mse").asDouble(), result.get("rows").asInt(), expected);
            assertThat(result.at("/metrics/mse").asDouble()).as(file[0]).isCloseTo(expected, within(0.001));
            assertThat(result.get("points")).isNotEmpty();
        }
    }

    @Test
    void a_trained_version_is_evaluated_through_the_same_call_on_all_rows_or_its_own_test_split() {
        RunFixture.Setup setup = runFixture.linear();
        Actor owner = setup.company().owner();
        long runId = TenantContext.runAs(owner, () -> runs.submit(new RunService.Submission(setup.versionId(),
                Hyperparameters.defaults(Template.LINEAR_REGRESSION), "cpu", 50)).getId());
        await().pollInSameThread().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200))
                .until(() -> TenantContext.runAs(owner, () -> runs.get(runId)).getStatus().finished());
        ModelVersion version = TenantContext.runAs(owner, () -> models.forRun(runId)).orElseThrow();
        JsonNode all = evaluatedTrained(owner, version.getId(), setup.versionId(), "all");
        JsonNode test = evaluatedTrained(owner, version.getId(), setup.versionId(), "test");
        assertThat(all.get("rows").asInt()).isEqualTo(1000);
        assertThat(test.get("rows").asInt()).isLessThan(all.get("rows").asInt());
        assertThat(all.at("/metrics/mse").asDouble()).isLessThan(0.02);
        long project = TenantContext.runAs(owner, () -> runs.get(runId).getProjectId());
        long other = fixture.otherDataset(owner, project);
        assertThatThrownBy(() -> TenantContext.runAs(owner, () -> imports.evaluate(version.getId(), other, "test")))
                .isInstanceOf(BadInputException.class).hasMessageContaining("test split exists only");
    }

    private JsonNode evaluatedTrained(Actor owner, long versionId, long datasetVersionId, String rows) {
        long id = TenantContext.runAs(owner, () -> imports.evaluate(versionId, datasetVersionId, rows).getId());
        await().pollInSameThread().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200))
                .until(() -> TenantContext.runAs(owner, () -> runs.get(id)).getStatus().finished());
        Run run = TenantContext.runAs(owner, () -> runs.get(id));
        assertThat(run.getStatus()).as(run.getError()).isEqualTo(Run.Status.SUCCEEDED);
        try {
            return new ObjectMapper().readTree(run.resultJson());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void prepared_inputs_run_on_the_test_split_and_raw_inputs_need_numeric_columns() {
        Setup s = setup();
        ModelVersion prepared = TenantContext.runAs(s.owner(), () -> imports.importModel(s.projectId(),
                new ModelImports.Manifest("iris prepared", "onnx", "classification", IRIS, "prepared", "species",
                        SPECIES, null), open("iris.onnx")));
        JsonNode result = evaluated(s.owner(), prepared.getId(), s.iris(), "test");
        // Runway's default split of a version without preparation settings keeps 20 % for testing: 10 per class.
        assertThat(result.get("rows").asInt()).isEqualTo(30);
        assertThat(result.at("/metrics/accuracy").isNumber()).isTrue();

        ModelVersion onText = TenantContext.runAs(s.owner(), () -> imports.importModel(s.projectId(),
                new ModelImports.Manifest("reads species", "onnx", "regression", List.of("species"), "raw",
                        "sepal_length", null, null), open("linear.onnx")));
        assertThatThrownBy(() -> TenantContext.runAs(s.owner(), () -> imports.evaluate(onText.getId(), s.iris(),
                "all"))).isInstanceOf(BadInputException.class).hasMessageContaining("not numeric here: species");
        assertThatThrownBy(() -> TenantContext.runAs(s.owner(), () -> imports.evaluate(prepared.getId(), s.linear(),
                "all"))).isInstanceOf(BadInputException.class).hasMessageContaining("lacks the model's columns");
    }

    @Test
    void broken_files_are_refused_with_a_message_and_leave_no_version_and_no_file() throws IOException {
        Setup s = setup();
        byte[] onnx = Files.readAllBytes(MODELS.resolve("iris.onnx"));
        byte[] pt = Files.readAllBytes(MODELS.resolve("iris.pt"));
        refused(s, iris("truncated", "onnx"), Arrays.copyOf(onnx, onnx.length / 2), "not a readable ONNX model");
        refused(s, iris("truncated", "torchscript"), Arrays.copyOf(pt, pt.length / 2),
                "not a readable TorchScript model");
        refused(s, iris("not a model", "onnx"), "sepal_length,species\n1,setosa\n".getBytes(),
                "not a readable ONNX model");
        refused(s, new ModelImports.Manifest("narrow", "onnx", "classification", IRIS.subList(0, 3), "raw",
                "species", SPECIES, null), onnx, "refused a batch of 4 rows × 3 values");
        refused(s, new ModelImports.Manifest("narrow", "torchscript", "classification", IRIS.subList(0, 3), "raw",
                "species", SPECIES, null), pt, "refused a batch of 4 rows × 3 values");
        refused(s, new ModelImports.Manifest("two classes", "onnx", "classification", IRIS, "raw", "species",
                List.of("setosa", "other"), null), onnx, "outputs of shape (4, 3)");
        refused(s, new ModelImports.Manifest("regression", "torchscript", "regression", IRIS, "raw", "species",
                null, null), pt, "outputs of shape (4, 3)");
        imports.limitBytes(onnx.length - 1);
        try {
            refused(s, iris("large", "onnx"), onnx, "larger than the limit");
        } finally {
            imports.limitBytes(-1);
        }
    }

    @Test
    void an_imported_version_is_in_the_registry_and_moves_to_staging() {
        Setup s = setup();
        ModelVersion version = TenantContext.runAs(s.owner(), () -> imports.importModel(s.projectId(),
                iris("iris", "onnx"), open("iris.onnx")));
        List<ModelVersion> registry = TenantContext.runAs(s.owner(), () -> models.list(s.projectId()));
        assertThat(registry).extracting(ModelVersion::getId).containsExactly(version.getId());
        assertThat(registry.get(0).getTemplate()).isEqualTo("ONNX");
        ModelLifecycle.Outcome staged = TenantContext.runAs(s.owner(), () -> lifecycle.changeStage(version.getId(),
                ModelStage.STAGING, "imported from the research team"));
        assertThat(staged.version().getStage()).isEqualTo(ModelStage.STAGING);
    }

    @Test
    void a_viewer_may_not_import_a_model() {
        Setup s = setup();
        Actor viewer = tenancy.member(s.company(), Role.VIEWER);
        assertThatThrownBy(() -> TenantContext.runAs(viewer, () -> imports.importModel(s.projectId(),
                iris("iris", "onnx"), open("iris.onnx")))).isInstanceOf(AccessDeniedException.class);
        assertThat(versions(s)).isZero();
    }

    @Test
    void files_that_could_read_server_files_or_run_foreign_code_are_refused_before_loading_and_leave_nothing()
            throws IOException {
        Setup s = setup();
        Path hostile = MODELS.resolve("hostile");
        ModelImports.Manifest linear = new ModelImports.Manifest("linear", "onnx", "regression", List.of("x"), "raw",
                "y", null, null);
        refused(s, iris("reads a file", "torchscript"), Files.readAllBytes(hostile.resolve("from-file.pt")),
                "its code calls torch.from_file");
        refused(s, iris("custom op", "torchscript"), Files.readAllBytes(hostile.resolve("custom-op.pt")),
                "its code calls ops.evil.run");
        refused(s, iris("pickle global", "torchscript"), Files.readAllBytes(hostile.resolve("pickle-global.pt")),
                "names os.system");
        refused(s, linear, Files.readAllBytes(hostile.resolve("external-data.onnx")),
                "a tensor's data lies in an external file");
        refused(s, linear, Files.readAllBytes(hostile.resolve("custom-domain.onnx")), "the domain “com.evil”");
    }

    @Test
    void an_input_width_that_would_need_gigabytes_is_refused_before_anything_is_allocated() {
        for (int width : new int[] {400_000_000, Integer.MAX_VALUE}) {
            assertThatThrownBy(() -> ModelImports.spec(new ModelImports.Manifest("wide", "onnx", "classification",
                    IRIS, "prepared", "species", SPECIES, width)))
                    .isInstanceOf(BadInputException.class).hasMessageContaining("at most 100000 values per row")
                    .extracting("field").isEqualTo("manifest.inputWidth");
        }
    }

    @Test
    void the_upload_is_read_outside_any_transaction_and_closed_when_the_import_is_refused() throws Exception {
        Setup s = setup();
        List<Integer> statuses = new java.util.concurrent.CopyOnWriteArrayList<>();
        boolean[] closed = {false};
        byte[] onnx = Files.readAllBytes(MODELS.resolve("iris.onnx"));
        InputStream watched = new java.io.FilterInputStream(new ByteArrayInputStream(onnx)) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                try {
                    statuses.add(transactionManager.getStatus());
                } catch (jakarta.transaction.SystemException e) {
                    throw new IOException(e);
                }
                return super.read(b, off, len);
            }

            @Override
            public void close() throws IOException {
                closed[0] = true;
                super.close();
            }
        };
        TenantContext.runAs(s.owner(), () -> imports.importModel(s.projectId(), iris("watched", "onnx"), watched));
        assertThat(statuses).isNotEmpty().containsOnly(jakarta.transaction.Status.STATUS_NO_TRANSACTION);
        assertThat(closed[0]).isTrue();

        boolean[] refusedClosed = {false};
        InputStream refusedStream = new ByteArrayInputStream(onnx) {
            @Override
            public void close() {
                refusedClosed[0] = true;
            }
        };
        Actor viewer = tenancy.member(s.company(), Role.VIEWER);
        assertThatThrownBy(() -> TenantContext.runAs(viewer, () -> imports.importModel(s.projectId(),
                iris("iris", "onnx"), refusedStream))).isInstanceOf(AccessDeniedException.class);
        assertThat(refusedClosed[0]).as("closed though refused before it was stored").isTrue();
    }

    @Test
    void an_archived_project_takes_no_import() {
        Setup s = setup();
        TenantContext.runAs(s.owner(), () -> projects.archive(s.projectId()));
        assertThatThrownBy(() -> TenantContext.runAs(s.owner(), () -> imports.importModel(s.projectId(),
                iris("iris", "onnx"), open("iris.onnx")))).isInstanceOf(BadInputException.class)
                .hasMessageContaining("is archived");
        TenantContext.runAs(s.owner(), () -> projects.restore(s.projectId()));
        assertThat(versions(s)).isZero();
    }

    @Test
    void identical_imports_get_folders_of_their_own_under_their_tenant() {
        Setup s = setup();
        ModelVersion first = TenantContext.runAs(s.owner(), () -> imports.importModel(s.projectId(),
                iris("iris", "onnx"), open("iris.onnx")));
        ModelVersion second = TenantContext.runAs(s.owner(), () -> imports.importModel(s.projectId(),
                iris("iris", "onnx"), open("iris.onnx")));
        assertThat(first.getArtifactDir()).isNotEqualTo(second.getArtifactDir());
        Path tenantFolder = storageRoot.resolve("models/imported").resolve(Long.toString(s.owner().tenantId()))
                .toAbsolutePath();
        assertThat(Path.of(first.getArtifactDir()).getParent()).isEqualTo(tenantFolder);
        assertThat(Path.of(second.getArtifactDir()).getParent()).isEqualTo(tenantFolder);
        assertThat(List.of(first.getVersion(), second.getVersion())).containsExactly(1, 2);
    }

    @Test
    void staging_folders_older_than_a_day_are_removed_at_start() throws IOException {
        Path old = Files.createDirectories(storageRoot.resolve("tmp").resolve("import-stale-" + TenancyFixture.unique()));
        Files.writeString(old.resolve("model.onnx"), "half an upload");
        Files.setLastModifiedTime(old, java.nio.file.attribute.FileTime.from(java.time.Instant.now()
                .minus(Duration.ofDays(2))));
        Path fresh = Files.createDirectories(storageRoot.resolve("tmp").resolve("import-fresh-"
                + TenancyFixture.unique()));
        try {
            imports.cleanStaleStaging(null);
            assertThat(old).doesNotExist();
            assertThat(fresh).exists();
        } finally {
            Files.deleteIfExists(fresh);
        }
    }

    @Test
    void numbering_waits_for_a_concurrent_registration_of_the_same_project() throws Exception {
        Setup s = setup();
        java.util.concurrent.CountDownLatch numbered = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            java.util.concurrent.Future<Integer> first = threads.submit(() -> inRequest(s.owner(),
                    () -> QuarkusTransaction.requiringNew().call(() -> {
                        int version = models.nextVersion(s.projectId());
                        em.persist(ModelVersion.imported(s.projectId(), version, "ONNX", "{}", "/nowhere",
                                s.owner().userId(), java.time.Instant.now()));
                        em.flush();
                        numbered.countDown();
                        Thread.sleep(500);
                        return version;
                    })));
            if (!numbered.await(30, java.util.concurrent.TimeUnit.SECONDS) || first.isDone()) {
                first.get(); // its failure, if it failed before numbering
            }
            java.util.concurrent.Future<Integer> second = threads.submit(() -> inRequest(s.owner(),
                    () -> QuarkusTransaction.requiringNew().call(() -> models.nextVersion(s.projectId()))));
            assertThat(second.get(30, java.util.concurrent.TimeUnit.SECONDS))
                    .isEqualTo(first.get(30, java.util.concurrent.TimeUnit.SECONDS) + 1);
        } finally {
            threads.shutdownNow();
        }
    }

    /** A request context on a plain thread, as the resolver of the tenant needs one. */
    private static <T> T inRequest(Actor actor, java.util.function.Supplier<T> work) {
        io.quarkus.arc.ManagedContext context = io.quarkus.arc.Arc.container().requestContext();
        context.activate();
        try {
            return TenantContext.runAs(actor, work);
        } finally {
            context.terminate();
        }
    }

    @Test
    void an_evaluation_asked_to_stop_ends_between_batches() {
        ImportedModels.Spec spec = new ImportedModels.Spec("onnx", dev.runway.training.engine.Task.REGRESSION,
                List.of("x"), true, "y", List.of(), 1);
        Path dir = storageRoot.resolve("tmp").resolve("stop-" + TenancyFixture.unique());
        try {
            Files.createDirectories(dir);
            Files.copy(MODELS.resolve("linear.onnx"), dir.resolve(spec.fileName()));
            int rows = 2_000;
            PreparedData.Split split = new PreparedData.Split(rows, 1, new float[rows], new float[rows], List.of());
            java.util.concurrent.atomic.AtomicInteger asked = new java.util.concurrent.atomic.AtomicInteger();
            assertThatThrownBy(() -> ImportedModels.evaluate(dir, spec, split, List.of(), null,
                    () -> asked.incrementAndGet() > 2)).isInstanceOf(ImportedModels.Stopped.class);
            assertThat(asked).as("asked before each batch of 512 rows, stopped at the third").hasValue(3);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            try (Stream<Path> walk = Files.walk(dir)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private void refused(Setup s, ModelImports.Manifest manifest, byte[] file, String message) {
        long before = versions(s);
        List<Path> filesBefore = stored();
        assertThatThrownBy(() -> TenantContext.runAs(s.owner(), () -> imports.importModel(s.projectId(), manifest,
                new ByteArrayInputStream(file))))
                .as(manifest.name() + " " + manifest.format()).isInstanceOf(BadInputException.class)
                .hasMessageContaining(message).message().doesNotContain("Exception", storageRoot.toString());
        assertThat(versions(s)).isEqualTo(before);
        assertThat(stored()).isEqualTo(filesBefore);
    }

    private long versions(Setup s) {
        return TenantContext.runAs(s.owner(), () -> models.list(s.projectId()).size());
    }

    /** Every file under the imported models' folder and the staging folder. */
    private List<Path> stored() {
        return Stream.of(storageRoot.resolve("models/imported"), storageRoot.resolve("tmp")).filter(Files::isDirectory)
                .flatMap(dir -> {
                    try (Stream<Path> walk = Files.walk(dir)) {
                        return walk.filter(Files::isRegularFile).toList().stream();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }).sorted().toList();
    }

    private JsonNode evaluated(Actor owner, long versionId, long datasetVersionId, String rows) {
        long id = TenantContext.runAs(owner, () -> imports.evaluate(versionId, datasetVersionId, rows).getId());
        await().pollInSameThread().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200))
                .until(() -> TenantContext.runAs(owner, () -> runs.get(id)).getStatus().finished());
        Run run = TenantContext.runAs(owner, () -> runs.get(id));
        assertThat(run.getStatus()).as(run.getError()).isEqualTo(Run.Status.SUCCEEDED);
        assertThat(run.getSourceModelVersionId()).isEqualTo(versionId);
        long metered = TenantContext.runAs(owner, () -> QuarkusTransaction.requiringNew().call(() -> ((Number) em
                .createNativeQuery("select count(*) from usage_event where run_id = :run and resource = 'CPU'")
                .setParameter("run", id).getSingleResult()).longValue()));
        assertThat(metered).as("billed like any evaluation run").isPositive();
        try {
            return new ObjectMapper().readTree(run.resultJson());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ModelImports.Manifest iris(String name, String format) {
        return new ModelImports.Manifest(name, format, "classification", IRIS, "raw", "species", SPECIES, null);
    }

    static InputStream open(String file) {
        try {
            return Files.newInputStream(MODELS.resolve(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Setup setup() {
        TenancyFixture.Company company = tenancy.company();
        Actor owner = company.owner();
        return TenantContext.runAs(owner, () -> {
            long project = projects.create(new ProjectService.ProjectForm("Imports " + TenancyFixture.unique(), "",
                    "", true)).getId();
            long iris;
            long linear;
            try (InputStream a = Files.newInputStream(Path.of("samples", "iris.csv"));
                    InputStream b = Files.newInputStream(Path.of("samples", "linear.csv"))) {
                iris = datasets.upload(project, "iris", "iris.csv", a).getId();
                linear = datasets.upload(project, "linear", "linear.csv", b).getId();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return new Setup(company, owner, project, iris, linear);
        });
    }

    private static JsonNode read(Path file) {
        try {
            return new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
