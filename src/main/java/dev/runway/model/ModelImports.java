package dev.runway.model;

import dev.runway.base.BadInputException;
import dev.runway.base.Json;
import dev.runway.dataset.Preparation.TaskType;
import dev.runway.project.ProjectService;
import dev.runway.tenancy.Access;
import dev.runway.tenancy.Actor;
import dev.runway.tenancy.AuditLog;
import dev.runway.tenancy.Permission;
import dev.runway.training.Run;
import dev.runway.training.RunService;
import dev.runway.training.engine.ImportedModels;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.stream.Stream;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Models trained elsewhere: a file (ONNX or TorchScript) with a manifest becomes the project's next model version,
 * marked imported, once it has loaded and answered a probe batch as the manifest says. A refused file leaves nothing
 * behind: no version row, no stored file. Evaluating any version (imported or trained) queues an evaluation run.
 */
@ApplicationScoped
public class ModelImports {

    public static final int NAME_MAX = 100;
    static final int FEATURES_MAX = 10_000;

    /**
     * What the uploader says about the file.
     *
     * @param format onnx or torchscript
     * @param task classification or regression
     * @param features the input columns, in the order the model reads them
     * @param inputs raw (the CSV's numbers) or prepared (Runway's standardised / one-hot encoded values)
     * @param classes classification: class names in the order of the model's outputs
     * @param inputWidth prepared inputs with categories only: the encoded width (defaults to the number of features)
     */
    public record Manifest(String name, String format, String task, List<String> features, String inputs,
            String target, List<String> classes, Integer inputWidth) {}

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
    ModelService models;

    @Inject
    RunService runs;

    @Inject
    TransactionSynchronizationRegistry transactions;

    @ConfigProperty(name = "runway.storage.root")
    Path storageRoot;

    @ConfigProperty(name = "runway.models.max-import-mb", defaultValue = "200")
    long maxImportMb;

    /** The limit in bytes; tests lower it through {@link #limitBytes(long)}. */
    private volatile long limitBytes = -1;

    /**
     * Checks the manifest, stores the file, loads and probes it, and registers the version; any refusal (a
     * {@link BadInputException} naming the field) removes what was written.
     */
    @Transactional
    public ModelVersion importModel(long projectId, Manifest manifest, InputStream file) {
        Actor actor = access.require(Permission.MANAGE_PROJECTS);
        projects.get(projectId);
        ImportedModels.Spec spec = spec(manifest);
        if (file == null) {
            throw new BadInputException("file", "Send the model file in a form part named “file”");
        }
        Path staging = storageRoot.resolve("tmp").resolve("import-" + UUID.randomUUID());
        try {
            String sha256 = store(file, staging.resolve(spec.fileName()));
            ImportedModels.check(staging, spec);
            ImportedModels.writeSpec(staging, spec);
            String manifestJson = Json.write(manifest);
            Path dir = storageRoot.resolve("models").resolve("imported")
                    .resolve(sha256 + "-" + sha256(manifestJson.getBytes(StandardCharsets.UTF_8)).substring(0, 16))
                    .toAbsolutePath();
            boolean created = !Files.exists(dir);
            if (created) {
                Files.createDirectories(dir.getParent());
                Files.move(staging, dir, StandardCopyOption.ATOMIC_MOVE);
                removeOnRollback(dir);
            }
            Integer last = em.createQuery("select max(m.version) from ModelVersion m where m.projectId = :p",
                    Integer.class).setParameter("p", projectId).getSingleResult();
            ModelVersion version = ModelVersion.imported(projectId, last == null ? 1 : last + 1,
                    spec.format().toUpperCase(Locale.ROOT), manifestJson, dir.toString(), actor.userId(),
                    clock.instant());
            em.persist(version);
            em.flush();
            audit.record("model.imported", "model version " + version.getVersion(), null, manifest.name() + " ("
                    + spec.format() + ", " + spec.task().name().toLowerCase(Locale.ROOT) + ")");
            return version;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            delete(staging);
        }
    }

    /**
     * Queues an evaluation of a version on a dataset version: {@code rows} "all" or "test" (its test split); null
     * keeps the default (a trained version: its test split on its own data, else all rows; an imported one: all).
     */
    @Transactional
    public Run evaluate(long versionId, long datasetVersionId, String rows) {
        ModelVersion version = models.get(versionId);
        if (rows != null && !List.of("all", "test").contains(rows)) {
            throw new BadInputException("rows", "Choose \"all\" (every row of the dataset version) or \"test\" (its "
                    + "test split)");
        }
        if (!version.isImported()) {
            return runs.submitEvaluation(version.getRunId(), datasetVersionId, rows);
        }
        Manifest manifest = Json.read(version.manifestJson(), Manifest.class);
        return runs.submitImportedEvaluation(version.getProjectId(), version.getId(), version.getTemplate(),
                version.getArtifactDir(), manifest.features(), manifest.target(), "raw".equals(manifest.inputs()),
                datasetVersionId, rows == null ? "all" : rows);
    }

    /** The manifest a version was imported with; empty for a trained version. */
    public java.util.Optional<Manifest> manifest(ModelVersion version) {
        return version.isImported() ? java.util.Optional.of(Json.read(version.manifestJson(), Manifest.class))
                : java.util.Optional.empty();
    }

    void limitBytes(long bytes) {
        this.limitBytes = bytes;
    }

    private long limit() {
        return limitBytes >= 0 ? limitBytes : maxImportMb * 1024 * 1024;
    }

    /** The manifest checked field by field, as the engine reads it. */
    static ImportedModels.Spec spec(Manifest m) {
        if (m == null) {
            throw new BadInputException("manifest", "Send the manifest as JSON in a form part named “manifest”: "
                    + "{\"name\", \"format\", \"task\", \"features\", \"inputs\", \"target\", \"classes\"}");
        }
        if (m.name() == null || m.name().isBlank() || m.name().strip().length() > NAME_MAX) {
            throw new BadInputException("manifest.name", "Give the model a name of 1 to " + NAME_MAX + " characters");
        }
        String format = lower(m.format());
        if (!ImportedModels.FORMATS.contains(format)) {
            throw new BadInputException("manifest.format", "Choose the file's format: onnx or torchscript");
        }
        String task = lower(m.task());
        if (!List.of("classification", "regression").contains(task)) {
            throw new BadInputException("manifest.task", "Choose the task: classification or regression");
        }
        List<String> features = m.features() == null ? List.of() : m.features();
        if (features.isEmpty() || features.size() > FEATURES_MAX || features.stream()
                .anyMatch(f -> f == null || f.isBlank())) {
            throw new BadInputException("manifest.features", "List the input columns the model reads, in its order");
        }
        if (features.stream().distinct().count() != features.size()) {
            throw new BadInputException("manifest.features", "A column is listed twice");
        }
        String inputs = m.inputs() == null ? "raw" : lower(m.inputs());
        if (!List.of("raw", "prepared").contains(inputs)) {
            throw new BadInputException("manifest.inputs", "Choose raw (the CSV's numbers) or prepared (Runway's "
                    + "standardised and encoded values)");
        }
        if (m.target() == null || m.target().isBlank()) {
            throw new BadInputException("manifest.target", "Name the column the model predicts");
        }
        if (features.contains(m.target())) {
            throw new BadInputException("manifest.target", "The target cannot also be an input column");
        }
        boolean classification = task.equals("classification");
        List<String> classes = m.classes() == null ? List.of() : m.classes();
        if (classification && (classes.size() < 2 || classes.stream().anyMatch(c -> c == null || c.isBlank())
                || classes.stream().distinct().count() != classes.size())) {
            throw new BadInputException("manifest.classes", "List the class names (at least two, each once) in the "
                    + "order of the model's outputs");
        }
        if (!classification && !classes.isEmpty()) {
            throw new BadInputException("manifest.classes", "A regression model has no classes: leave them out");
        }
        int width = m.inputWidth() == null ? features.size() : m.inputWidth();
        if (width < features.size() || ("raw".equals(inputs) && width != features.size())) {
            throw new BadInputException("manifest.inputWidth", "raw".equals(inputs)
                    ? "A model on raw inputs takes one value per feature: leave inputWidth out"
                    : "The prepared width is at least the number of features (" + features.size() + ")");
        }
        return new ImportedModels.Spec(format, classification ? TaskType.CLASSIFICATION : TaskType.REGRESSION,
                List.copyOf(features), "raw".equals(inputs), m.target(), List.copyOf(classes), width);
    }

    private static String lower(String value) {
        return value == null ? "" : value.strip().toLowerCase(Locale.ROOT);
    }

    /** Streams the upload to {@code target}, refusing it past the limit; the SHA-256 of what was written. */
    private String store(InputStream in, Path target) throws IOException {
        Files.createDirectories(target.getParent());
        MessageDigest digest = sha256();
        long limit = limit();
        long written = 0;
        byte[] buffer = new byte[64 * 1024];
        try (InputStream source = in; OutputStream out = Files.newOutputStream(target)) {
            for (int n; (n = source.read(buffer)) > 0; ) {
                written += n;
                if (written > limit) {
                    throw new BadInputException("file", "The model file is larger than the limit of "
                            + readable(limit) + ": export a smaller model or ask an admin to raise "
                            + "runway.models.max-import-mb");
                }
                digest.update(buffer, 0, n);
                out.write(buffer, 0, n);
            }
        }
        if (written == 0) {
            throw new BadInputException("file", "The model file is empty");
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static String readable(long bytes) {
        return bytes >= 1024 * 1024 ? bytes / (1024 * 1024) + " MB" : bytes + " bytes";
    }

    /** The folder goes again when the version row is not committed (a later failure, or a rollback). */
    private void removeOnRollback(Path dir) {
        transactions.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {}

            @Override
            public void afterCompletion(int status) {
                if (status != Status.STATUS_COMMITTED) {
                    delete(dir);
                }
            }
        });
    }

    private static void delete(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            List<Path> paths = new ArrayList<>(walk.toList());
            java.util.Collections.reverse(paths);
            for (Path p : paths) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(sha256().digest(bytes));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
