package dev.runway.model;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runway.base.Json;
import dev.runway.base.Keyset;
import dev.runway.base.NotFoundException;
import dev.runway.tenancy.Access;
import dev.runway.tenancy.AuditLog;
import dev.runway.tenancy.Permission;
import dev.runway.training.Run;
import dev.runway.training.RunFinished;
import dev.runway.training.RunResult;
import dev.runway.training.RunService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The model registry: versions registered by succeeded training runs, their metrics and comparison. */
@ApplicationScoped
public class ModelService {

    /** Two versions side by side: each metric of either, with both values (null where one lacks it). */
    public record Comparison(ModelVersion left, ModelVersion right, Map<String, Double[]> metrics) {}

    @Inject
    EntityManager em;

    @Inject
    Access access;

    @Inject
    AuditLog audit;

    @Inject
    Clock clock;

    @Inject
    RunService runs;

    @ConfigProperty(name = "runway.storage.root")
    Path storageRoot;

    /** The advisory-lock namespace of version numbering (the second key is the project); "MVN1". */
    static final int NUMBERING_LOCK = 0x4d564e31;

    /** Registers the model of a succeeded training run, in the transaction that ends the run. */
    void register(@Observes RunFinished finished) {
        if (finished.kind() != Run.Kind.TRAIN || finished.status() != Run.Status.SUCCEEDED
                || finished.modelDir() == null) {
            return;
        }
        em.persist(new ModelVersion(finished.projectId(), nextVersion(finished.projectId()), finished.runId(),
                finished.datasetVersionId(), finished.template(), metricsOf(finished.resultJson()),
                finished.modelDir(), finished.userId(), clock.instant()));
    }

    /**
     * The project's next version number, under a transaction-scoped advisory lock per project: without it an import
     * and a training's finish that number at the same moment both take max + 1, and one fails on the unique key.
     * Every writer of model_version numbers goes through here.
     */
    int nextVersion(long projectId) {
        em.createNativeQuery("select count(*) from (select pg_advisory_xact_lock(:ns, hashtext(cast(:p as text)))) l")
                .setParameter("ns", NUMBERING_LOCK).setParameter("p", projectId).getSingleResult();
        Integer last = em.createQuery("select max(m.version) from ModelVersion m where m.projectId = :p",
                Integer.class).setParameter("p", projectId).getSingleResult();
        return last == null ? 1 : last + 1;
    }

    @Transactional
    public List<ModelVersion> list(Long projectId) {
        return list(projectId, null, Integer.MAX_VALUE);
    }

    /** A page of them, newest first: at most {@code limit} after {@code after} (created at, id). */
    @Transactional
    public List<ModelVersion> list(Long projectId, Keyset after, int limit) {
        access.require(Permission.READ);
        return Keyset.bindInstant(em.createQuery("select m from ModelVersion m where (:p is null or m.projectId = :p)"
                        + " and " + Keyset.after("m.createdAt", "m.id", true)
                        + " order by m.createdAt desc, m.id desc", ModelVersion.class), after)
                .setParameter("p", projectId).setMaxResults(limit).getResultList();
    }

    @Transactional
    public ModelVersion get(long id) {
        access.require(Permission.READ);
        return Optional.ofNullable(em.find(ModelVersion.class, id)).orElseThrow(() -> new NotFoundException("Model"));
    }

    @Transactional
    public Optional<ModelVersion> forRun(long runId) {
        access.require(Permission.READ);
        return em.createQuery("select m from ModelVersion m where m.runId = :r", ModelVersion.class)
                .setParameter("r", runId).getResultStream().findFirst();
    }

    /**
     * The size of a version's stored model files (0 when they are gone). Pages and answers show this, never the
     * folder: a server path tells a visitor about the machine and nothing about the model.
     */
    @Transactional
    public long artifactBytes(ModelVersion version) {
        access.require(Permission.READ);
        try {
            return bytes(version.getArtifactDir());
        } catch (UncheckedIOException e) {
            return 0;
        }
    }

    /** A model version as storage sees it: its project, the bytes of its files and since when it exists. */
    public record StoredVersion(long projectId, long bytes, Instant since) {}

    /**
     * Every version created before {@code end} with the size of its files, for billing's storage meter (a job acting
     * as the tenant, so no permission check). A folder that cannot be read fails the meter, which tries again later,
     * rather than billing it as empty.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<StoredVersion> storedBefore(Instant end) {
        return em.createQuery("select m.projectId, m.artifactDir, m.createdAt from ModelVersion m "
                        + "where m.createdAt < :end", Object[].class).setParameter("end", end).getResultStream()
                .map(r -> new StoredVersion((Long) r[0], bytes((String) r[1]), (Instant) r[2])).toList();
    }

    private long bytes(String artifactDir) {
        Path dir = Path.of(artifactDir);
        Path path = dir.isAbsolute() ? dir : storageRoot.resolve(dir);
        if (!Files.isDirectory(path)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(path)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The test metrics of a version, by name. */
    public static Map<String, Double> metrics(ModelVersion version) {
        Map<String, Double> result = new LinkedHashMap<>();
        try {
            JsonNode node = Json.tree(version.metricsJson());
            node.fields().forEachRemaining(e -> {
                if (e.getValue().isNumber()) {
                    result.put(e.getKey(), e.getValue().asDouble());
                }
            });
        } catch (Exception e) {
            return result;
        }
        return result;
    }

    @Transactional
    public Comparison compare(long leftId, long rightId) {
        ModelVersion left = get(leftId);
        ModelVersion right = get(rightId);
        Map<String, Double[]> metrics = new LinkedHashMap<>();
        figures(left).forEach((k, v) -> metrics.put(k, new Double[] {v, null}));
        figures(right).forEach((k, v) -> metrics.computeIfAbsent(k, x -> new Double[2])[1] = v);
        return new Comparison(left, right, metrics);
    }

    /**
     * What a comparison shows of a version: a trained one's test metrics; an imported one (measured by no training)
     * its latest evaluation's, empty until it has been evaluated.
     */
    private Map<String, Double> figures(ModelVersion version) {
        if (!version.isImported()) {
            return metrics(version);
        }
        Map<String, Double> result = new LinkedHashMap<>();
        runs.latestEvaluationOfImported(version.getId()).flatMap(Run::result)
                .ifPresent(read -> result.putAll(read.metrics()));
        return result;
    }

    @Transactional
    public long count() {
        access.require(Permission.READ);
        return em.createQuery("select count(m) from ModelVersion m", Long.class).getSingleResult();
    }

    /** The run's test metrics (and linear coefficients, as "coef_<name>"), kept with the version. */
    private static String metricsOf(String resultJson) {
        Map<String, Double> flat = new LinkedHashMap<>();
        RunResult.read(resultJson).ifPresent(result -> {
            flat.putAll(result.testMetrics());
            result.coefficients().forEach((k, v) -> flat.put("coef_" + k, v));
        });
        return Json.write(flat);
    }
}
