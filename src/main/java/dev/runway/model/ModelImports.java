package dev.runway.model;

import dev.runway.base.BadInputException;
import dev.runway.base.Json;
import dev.runway.project.Project;
import dev.runway.project.ProjectService;
import dev.runway.tenancy.Access;
import dev.runway.tenancy.Actor;
import dev.runway.tenancy.AuditLog;
import dev.runway.tenancy.Permission;
import dev.runway.training.Run;
import dev.runway.training.RunService;
import dev.runway.training.engine.ImportedModels;
import dev.runway.training.engine.Task;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.stream.Stream;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Models trained elsewhere: a file (ONNX or TorchScript) with a manifest becomes the project's next model version,
 * marked imported, once it has loaded and answered a probe batch as the manifest says. A refused file leaves nothing
 * behind: no version row, no stored file. Evaluating any version (imported or trained) queues an evaluation run.
 */
@ApplicationScoped
public class ModelImports {

    public static final int NAME_MAX = 100;
    static final int FEATURES_MAX = 10_000;
    /** Prepared inputs widen with one-hot categories; past this a probe row alone would be megabytes. */
    static final int INPUT_WIDTH_MAX = 10 * FEATURES_MAX;
    static final String STAGING_PREFIX = "import-";
    static final Duration STAGING_MAX_AGE = Duration.ofDays(1);
    private static final Logger LOG = Logger.getLogger(ModelImports.class);

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

    @ConfigProperty(name = "runway.storage.root")
    Path storageRoot;

    @ConfigProperty(name = "runway.models.max-import-mb", defaultValue = "200")
    long maxImportMb;

    /** The limit in bytes; tests lower it through {@link #limitBytes(long)}. */
    private volatile long limitBytes = -1;

    /**
     * Checks the manifest, stores the file, scans, loads and probes it, and registers the version; any refusal (a
     * {@link BadInputException} naming the field) removes what was written. Like a dataset upload, only the permission
     * check and the insert run in (short) transactions: the upload, scan, load and probe hold no connection.
     */
    public ModelVersion importModel(long projectId, Manifest manifest, InputStream file) {
        try (InputStream upload = file) {
            long tenantId = QuarkusTransaction.requiringNew().call(() -> writable(projectId).tenantId());
            ImportedModels.Spec spec = spec(manifest);
            if (upload == null) {
                throw new BadInputException("file", "Send the model file in a form part named “file”");
            }
            String id = UUID.randomUUID().toString();
            Path staging = storageRoot.resolve("tmp").resolve(STAGING_PREFIX + id);
            Path dir;
            try {
                String sha256 = store(upload, staging.resolve(spec.fileName()));
                scan(staging.resolve(spec.fileName()), spec);
                ImportedModels.check(staging, spec);
                ImportedModels.writeSpec(staging, spec);
                // One folder per import (keyed by tenant): identical concurrent imports never share, so the
                // rollback of one cannot remove the files another committed version reads.
                dir = storageRoot.resolve("models").resolve("imported").resolve(Long.toString(tenantId))
                        .resolve(sha256.substring(0, 16) + "-" + id).toAbsolutePath();
                Files.createDirectories(dir.getParent());
                Files.move(staging, dir, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                delete(staging);
            }
            String manifestJson = Json.write(manifest);
            try {
                return QuarkusTransaction.requiringNew().call(() -> {
                    Actor actor = writable(projectId);
                    ModelVersion version = ModelVersion.imported(projectId, models.nextVersion(projectId),
                            spec.format().toUpperCase(Locale.ROOT), manifestJson, dir.toString(), actor.userId(),
                            clock.instant());
                    em.persist(version);
                    em.flush();
                    audit.record("model.imported", "model version " + version.getVersion(), null, manifest.name()
                            + " (" + spec.format() + ", " + spec.task().name().toLowerCase(Locale.ROOT) + ")");
                    return version;
                });
            } catch (RuntimeException e) {
                try {
                    delete(dir);
                } catch (UncheckedIOException notRemoved) {
                    e.addSuppressed(notRemoved);
                }
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The caller, once it may manage the project and the project is not archived. */
    private Actor writable(long projectId) {
        Actor actor = access.require(Permission.MANAGE_PROJECTS);
        Project project = projects.get(projectId);
        if (project.isArchived()) {
            throw new BadInputException(null, "“" + project.getName() + "” is archived: restore it to import a model");
        }
        return actor;
    }

    /** The wall before any engine reads the file: docs/models.md, "What an uploaded file may do". */
    static void scan(Path file, ImportedModels.Spec spec) {
        if ("onnx".equals(spec.format())) {
            OnnxCheck.check(file);
        } else {
            TorchScriptCheck.check(file);
        }
    }

    /** Staging folders an import left when its node died mid-upload: removed at start once a day old. */
    void cleanStaleStaging(@Observes StartupEvent started) {
        Path tmp = storageRoot.resolve("tmp");
        if (!Files.isDirectory(tmp)) {
            return;
        }
        java.time.Instant cutoff = clock.instant().minus(STAGING_MAX_AGE);
        try (Stream<Path> folders = Files.list(tmp)) {
            for (Path folder : folders.filter(f -> f.getFileName().toString().startsWith(STAGING_PREFIX)).toList()) {
                if (Files.getLastModifiedTime(folder).toInstant().isBefore(cutoff)) {
                    delete(folder);
                }
            }
        } catch (IOException | UncheckedIOException e) {
            LOG.warnf("Could not clean stale import staging folders under %s: %s", tmp, e.getMessage());
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
        if (width > INPUT_WIDTH_MAX) {
            throw new BadInputException("manifest.inputWidth", "The input width can be at most " + INPUT_WIDTH_MAX
                    + " values per row");
        }
        if (width < features.size() || ("raw".equals(inputs) && width != features.size())) {
            throw new BadInputException("manifest.inputWidth", "raw".equals(inputs)
                    ? "A model on raw inputs takes one value per feature: leave inputWidth out"
                    : "The prepared width is at least the number of features (" + features.size() + ")");
        }
        return new ImportedModels.Spec(format, classification ? Task.CLASSIFICATION : Task.REGRESSION,
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

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
