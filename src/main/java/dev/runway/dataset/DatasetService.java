package dev.runway.dataset;

import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import dev.runway.base.BadInputException;
import dev.runway.base.Csv;
import dev.runway.base.ETag;
import dev.runway.base.Happened;
import dev.runway.base.TooLargeException;
import dev.runway.base.Json;
import dev.runway.base.Keyset;
import dev.runway.base.NotFoundException;
import dev.runway.base.Text;
import dev.runway.project.Project;
import dev.runway.project.ProjectService;
import dev.runway.tenancy.Access;
import dev.runway.tenancy.Actor;
import dev.runway.tenancy.AuditLog;
import dev.runway.tenancy.Permission;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Datasets of the current tenant's projects. An upload streams to disk, is profiled in one pass, then stored by its
 * SHA-256 and recorded as a new immutable version; a bad file is refused whole.
 */
@ApplicationScoped
public class DatasetService {

    public static final int PREVIEW_ROWS = 100;

    /** A dataset with its latest version, for lists. */
    public record DatasetSummary(Dataset dataset, String projectName, DatasetVersion latest, int versions) {}

    /** The first rows of a version, or why they are not shown. */
    public record Preview(List<String> columns, List<List<String>> rows, String hiddenReason) {
        public boolean hidden() {
            return hiddenReason != null;
        }
    }

    @Inject
    EntityManager em;

    @Inject
    Access access;

    @Inject
    AuditLog audit;

    @Inject
    ProjectService projects;

    @Inject
    ContentStore store;

    @Inject
    Clock clock;

    @Inject
    Event<DatasetVersionAdded> added;

    @Inject
    Event<Happened> happened;

    @ConfigProperty(name = "runway.datasets.max-upload-mb", defaultValue = "200")
    long maxUploadMb;

    /** The upload limit in MB (runway.datasets.max-upload-mb), checked on the server while bytes arrive. */
    public long maxUploadMb() {
        return maxUploadMb;
    }

    /** What to do with bytes identical to a version the dataset already has. */
    public enum Identical {
        /** Answer that version and add none: the same bytes would train on the same data. */
        KEEP_EXISTING,
        /** Add them as a new version all the same (e.g. to start a schedule's "on a new version" run). */
        ADD_VERSION
    }

    /** What an upload did: added {@code version}, or found its bytes as that {@code existing} version and kept it. */
    public record Uploaded(DatasetVersion version, boolean existing) {}

    /**
     * Adds a version to the project's dataset {@code datasetName} (created on its first upload), even when its bytes
     * are identical to one of the dataset's versions.
     */
    public DatasetVersion upload(long projectId, String datasetName, String filename, InputStream in)
            throws IOException {
        return upload(projectId, datasetName, filename, in, Identical.ADD_VERSION).version();
    }

    /**
     * Adds a version to the project's dataset {@code datasetName} (created on its first upload), or, with
     * {@link Identical#KEEP_EXISTING}, answers the newest of its versions with exactly these bytes (same SHA-256) and
     * adds none. Runs outside a transaction: the permission is checked first, the bytes are staged and profiled, then
     * one short transaction records the version.
     */
    public Uploaded upload(long projectId, String datasetName, String filename, InputStream in, Identical identical)
            throws IOException {
        String name = Text.required("name", "Dataset name", datasetName, Dataset.NAME_MAX);
        QuarkusTransaction.requiringNew().run(() -> {
            access.require(Permission.MANAGE_PROJECTS);
            Project project = projects.get(projectId);
            if (project.isArchived()) {
                throw new BadInputException(null, "“" + project.getName() + "” is archived: restore it to add data");
            }
        });
        String original = filename == null || filename.isBlank() ? name + ".csv" : clip(filename.strip(), 255);
        ContentStore.Staged staged;
        CsvProfile profile;
        try {
            // Profiled while it is written to disk, on a second thread: one pass over the bytes, not two in a row.
            ContentStore.Read<CsvProfile> read = store.stage(in, maxUploadMb * 1024 * 1024, CsvProfiler::profile);
            staged = read.staged();
            profile = read.result();
        } catch (BadInputException e) {
            throw naming(original, e);
        }
        store.commit(staged);
        return QuarkusTransaction.requiringNew().call(() -> {
            Actor actor = access.require(Permission.MANAGE_PROJECTS);
            Instant now = clock.instant();
            Dataset dataset = lockedDataset(projectId, name).orElse(null);
            if (dataset == null) {
                dataset = new Dataset(projectId, name, actor.userId(), now);
                em.persist(dataset);
            } else if (identical == Identical.KEEP_EXISTING) {
                // Under the dataset's lock: two identical uploads at once add one version, not two.
                Optional<DatasetVersion> same = em.createQuery("select v from DatasetVersion v where v.datasetId = :d"
                                + " and v.sha256 = :s order by v.version desc", DatasetVersion.class)
                        .setParameter("d", dataset.getId()).setParameter("s", staged.sha256()).setMaxResults(1)
                        .getResultStream().findFirst();
                if (same.isPresent()) {
                    return new Uploaded(same.get(), true);
                }
            }
            DatasetVersion version = new DatasetVersion(dataset.getId(), nextVersion(dataset), staged, original,
                    profile, Json.write(profile), actor.userId(), now);
            em.persist(version);
            announce(actor, projectId, name, version);
            return new Uploaded(version, false);
        });
    }

    /**
     * Adds the bytes of {@code existingVersionId} as its dataset's next version: what the console's "add it anyway"
     * does after an identical upload was kept, without sending the file again. The file, its profile and shape are the
     * existing version's; the file name is the one uploaded.
     */
    @Transactional
    public DatasetVersion addIdenticalVersion(long existingVersionId, String filename) {
        Actor actor = access.require(Permission.MANAGE_PROJECTS);
        DatasetVersion existing = find(existingVersionId);
        Dataset dataset = em.find(Dataset.class, existing.getDatasetId(), LockModeType.PESSIMISTIC_WRITE);
        Project project = projects.get(dataset.getProjectId());
        if (project.isArchived()) {
            throw new BadInputException(null, "“" + project.getName() + "” is archived: restore it to add data");
        }
        String original = filename == null || filename.isBlank() ? existing.getOriginalFilename()
                : clip(filename.strip(), 255);
        DatasetVersion version = existing.identicalAs(nextVersion(dataset), original, actor.userId(), clock.instant());
        em.persist(version);
        announce(actor, project.getId(), dataset.getName(), version);
        return version;
    }

    private Optional<Dataset> lockedDataset(long projectId, String name) {
        return em.createQuery("select d from Dataset d where d.projectId = :p and d.name = :n", Dataset.class)
                .setParameter("p", projectId).setParameter("n", name)
                .setLockMode(LockModeType.PESSIMISTIC_WRITE)
                .getResultStream().findFirst();
    }

    private int nextVersion(Dataset dataset) {
        Integer last = em.createQuery("select max(v.version) from DatasetVersion v where v.datasetId = :d",
                Integer.class).setParameter("d", dataset.getId()).getSingleResult();
        return last == null ? 1 : last + 1;
    }

    /** Tells the features that follow datasets (schedules, activity) and the audit log of a new version. */
    private void announce(Actor actor, long projectId, String name, DatasetVersion version) {
        String shape = version.getRowCount() + " rows × " + version.getColumnCount() + " columns";
        added.fire(new DatasetVersionAdded(actor.tenantId(), projectId, version.getDatasetId(), version.getId(),
                actor.userId()));
        happened.fire(new Happened(actor.tenantId(), Happened.Kind.DATASET_VERSION_ADDED, projectId,
                new Happened.Subject(Happened.Subject.Type.DATASET_VERSION, version.getId(),
                        name + " v" + version.getVersion()), actor.userId(),
                name + " v" + version.getVersion() + " uploaded: " + shape, Set.of(),
                Map.of("datasetId", version.getDatasetId(), "datasetVersionId", version.getId(),
                        "version", version.getVersion(), "rows", version.getRowCount(),
                        "columns", version.getColumnCount())));
        audit.record("dataset.version_added", name + " v" + version.getVersion(), null,
                shape + ", " + version.getSizeBytes() + " bytes, " + version.getSha256().substring(0, 12));
    }

    @Transactional
    public List<DatasetSummary> list(Long projectId) {
        return list(projectId, null, Integer.MAX_VALUE);
    }

    /** A page of them by name: at most {@code limit} after {@code after} (name, id). */
    @Transactional
    public List<DatasetSummary> list(Long projectId, Keyset after, int limit) {
        access.require(Permission.READ);
        List<Dataset> datasets = Keyset.bindText(em.createQuery("select d from Dataset d where (:p is null or"
                        + " d.projectId = :p) and " + Keyset.afterIgnoringCase("d.name", "d.id")
                        + " order by lower(d.name), d.id", Dataset.class), after)
                .setParameter("p", projectId).setMaxResults(limit).getResultList();
        List<DatasetSummary> result = new ArrayList<>();
        for (Dataset d : datasets) {
            List<DatasetVersion> versions = versionsOf(d.getId());
            result.add(new DatasetSummary(d, projects.get(d.getProjectId()).getName(),
                    versions.isEmpty() ? null : versions.get(0), versions.size()));
        }
        return result;
    }

    @Transactional
    public Dataset dataset(long datasetId) {
        access.require(Permission.READ);
        return Optional.ofNullable(em.find(Dataset.class, datasetId))
                .orElseThrow(() -> new NotFoundException("Dataset"));
    }

    /** Newest first. */
    @Transactional
    public List<DatasetVersion> versions(long datasetId) {
        dataset(datasetId);
        return versionsOf(datasetId);
    }

    /** A page of them, newest first: at most {@code limit} after {@code after} (version number, id). */
    @Transactional
    public List<DatasetVersion> versions(long datasetId, Keyset after, int limit) {
        dataset(datasetId);
        return Keyset.bindInt(em.createQuery("select v from DatasetVersion v where v.datasetId = :d and "
                        + Keyset.after("v.version", "v.id", true) + " order by v.version desc, v.id desc",
                        DatasetVersion.class), after)
                .setParameter("d", datasetId).setMaxResults(limit).getResultList();
    }

    @Transactional
    public DatasetVersion version(long versionId) {
        access.require(Permission.READ);
        return find(versionId);
    }

    @Transactional
    public CsvProfile profile(long versionId) {
        return Json.read(version(versionId).profileJson(), CsvProfile.class);
    }

    @Transactional
    public Optional<Preparation> preparation(long versionId) {
        String json = version(versionId).preparationJson();
        return json == null ? Optional.empty() : Optional.of(Json.read(json, Preparation.class));
    }

    /**
     * As {@link #savePreparation(long, Preparation)}, on the locked version row, only when {@code ifMatch} (the API's
     * If-Match; null: no precondition) names the current settings' {@link #preparationETag}.
     */
    @Transactional
    public void savePreparation(long versionId, Preparation preparation, String ifMatch) {
        access.require(Permission.MANAGE_PROJECTS);
        DatasetVersion locked = Optional.ofNullable(em.find(DatasetVersion.class, versionId,
                LockModeType.PESSIMISTIC_WRITE)).orElseThrow(() -> new NotFoundException("Dataset version"));
        String current = locked.preparationJson();
        ETag.check(ifMatch, current == null ? null : preparationETag(Json.read(current, Preparation.class)),
                "The preparation");
        savePreparation(versionId, preparation);
    }

    /** The API's entity tag of preparation settings (dev.runway.base.ETag): the same settings, the same tag. */
    public static String preparationETag(Preparation preparation) {
        return ETag.of(preparation);
    }

    /** Stores the preparation settings after checking them against the version's profile. */
    @Transactional
    public void savePreparation(long versionId, Preparation preparation) {
        Actor actor = access.require(Permission.MANAGE_PROJECTS);
        DatasetVersion version = find(versionId);
        PreparationRules.check(preparation, Json.read(version.profileJson(), CsvProfile.class));
        String before = version.preparationJson();
        String after = Json.write(preparation);
        version.setPreparationJson(after);
        revisionOf(version.getId(), preparation, actor.userId());
        audit.record("dataset.preparation_saved", datasetName(version) + " v" + version.getVersion(), before, after);
    }

    /**
     * The revision of the version's preparation as it is now, recorded if it was not yet (a preparation saved before
     * revisions were kept): what a run submitted now trains with.
     */
    @Transactional
    public PreparationRevision currentRevision(long versionId) {
        Actor actor = access.require(Permission.MANAGE_PROJECTS);
        DatasetVersion version = find(versionId);
        Preparation preparation = preparation(versionId).orElseThrow(() -> new BadInputException("dataset",
                "This dataset version has no preparation settings: set the target and features on its page first"));
        return revisionOf(version.getId(), preparation, actor.userId());
    }

    /** A revision by its id, for a run's or model's lineage. */
    @Transactional
    public PreparationRevision revision(long revisionId) {
        access.require(Permission.READ);
        return Optional.ofNullable(em.find(PreparationRevision.class, revisionId))
                .orElseThrow(() -> new NotFoundException("Preparation revision"));
    }

    /**
     * A preparation revision as lineage shows it: its number, hash and settings, and whether the version's preparation
     * is still the same (false once it was changed after the run).
     */
    public record RevisionUsed(long id, long datasetVersionId, int revision, String sha256, Preparation preparation,
            boolean current, Instant createdAt) {

        /** E.g. "revision 2 (changed since)". */
        public String label() {
            return "revision " + revision + (current ? "" : " (changed since)");
        }
    }

    /** The revision {@code revisionId} with what lineage says of it. */
    @Transactional
    public RevisionUsed revisionUsed(long revisionId) {
        PreparationRevision r = revision(revisionId);
        return used(r, currentSha256(r.getDatasetVersionId()));
    }

    /** The version's preparation revisions with what lineage says of them, newest first. */
    @Transactional
    public List<RevisionUsed> revisions(long versionId) {
        version(versionId);
        String current = currentSha256(versionId);
        return em.createQuery("select r from PreparationRevision r where r.datasetVersionId = :v"
                        + " order by r.revision desc", PreparationRevision.class).setParameter("v", versionId)
                .getResultStream().map(r -> used(r, current)).toList();
    }

    private String currentSha256(long versionId) {
        return preparation(versionId).map(p -> sha256(Json.write(p))).orElse(null);
    }

    private static RevisionUsed used(PreparationRevision r, String currentSha256) {
        return new RevisionUsed(r.getId(), r.getDatasetVersionId(), r.getRevision(), r.getSha256(), r.preparation(),
                r.getSha256().equals(currentSha256), r.getCreatedAt());
    }

    /** The revision with exactly these settings, numbered next on the version if it is new. */
    private PreparationRevision revisionOf(long versionId, Preparation preparation, long userId) {
        String json = Json.write(preparation);
        String sha256 = sha256(json);
        Optional<PreparationRevision> known = revisionBySha(versionId, sha256);
        if (known.isPresent()) {
            return known.get();
        }
        // Two saves or submissions at once would both number revision n + 1: the version row serialises them.
        em.createNativeQuery("select 1 from dataset_version where id = :id for no key update")
                .setParameter("id", versionId).getResultList();
        known = revisionBySha(versionId, sha256);
        if (known.isPresent()) {
            return known.get();
        }
        Integer last = em.createQuery("select max(r.revision) from PreparationRevision r"
                + " where r.datasetVersionId = :v", Integer.class).setParameter("v", versionId).getSingleResult();
        PreparationRevision revision = new PreparationRevision(versionId, last == null ? 1 : last + 1, sha256, json,
                userId, clock.instant());
        em.persist(revision);
        return revision;
    }

    private Optional<PreparationRevision> revisionBySha(long versionId, String sha256) {
        return em.createQuery("select r from PreparationRevision r where r.datasetVersionId = :v and r.sha256 = :s",
                        PreparationRevision.class).setParameter("v", versionId).setParameter("s", sha256)
                .getResultStream().findFirst();
    }

    private static String sha256(String text) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    /** What training reads: the stored file, its format and profile, and the preparation settings. */
    public record TrainingInput(java.nio.file.Path file, char delimiter, CsvProfile profile, Preparation preparation) {}

    /**
     * What a run trains with: the version's data and the preparation of {@code revisionId}, the revision recorded when
     * the run was submitted; null (a run submitted before revisions were kept) reads the version's current one.
     */
    @Transactional
    public TrainingInput trainingInput(long versionId, Long revisionId) {
        DatasetVersion version = version(versionId);
        Preparation preparation = revisionId != null ? revisionOfVersion(versionId, revisionId).preparation()
                : preparation(versionId).orElseThrow(() -> new BadInputException("dataset",
                "This dataset version has no preparation settings: set the target and features on its page first"));
        return new TrainingInput(store.pathOf(version.getSha256()), version.delimiter(),
                Json.read(version.profileJson(), CsvProfile.class), preparation);
    }

    /** The preparation a run trained with: its revision's, or the version's current one for a run without one. */
    @Transactional
    public Optional<Preparation> preparation(long versionId, Long revisionId) {
        return revisionId != null ? Optional.of(revisionOfVersion(versionId, revisionId).preparation())
                : preparation(versionId);
    }

    private PreparationRevision revisionOfVersion(long versionId, long revisionId) {
        PreparationRevision revision = revision(revisionId);
        if (!revision.getDatasetVersionId().equals(versionId)) {
            throw new IllegalStateException("Preparation revision " + revisionId + " is not of dataset version "
                    + versionId);
        }
        return revision;
    }

    /**
     * What an imported model's evaluation reads: as {@link #trainingInput}, but a version without preparation settings
     * is fine (the model's manifest names the target and features); its preparation is then null.
     */
    @Transactional
    public TrainingInput evaluationInput(long versionId) {
        DatasetVersion version = version(versionId);
        return new TrainingInput(store.pathOf(version.getSha256()), version.delimiter(),
                Json.read(version.profileJson(), CsvProfile.class), preparation(versionId).orElse(null));
    }

    /** The first rows, unless the project keeps its data out of sight. */
    @Transactional
    public Preview preview(long versionId) {
        return preview(versionId, null);
    }

    /**
     * {@link #preview(long)} for a page that has just read the version's {@link #profile}: a wide file's profile is
     * megabytes of JSON, not worth reading twice for its column names.
     */
    @Transactional
    public Preview preview(long versionId, CsvProfile profileRead) {
        access.require(Permission.READ);
        DatasetVersion version = find(versionId);
        Dataset dataset = em.find(Dataset.class, version.getDatasetId());
        CsvProfile profile = profileRead != null && profileRead.columns().size() == version.getColumnCount()
                ? profileRead : Json.read(version.profileJson(), CsvProfile.class);
        if (!projects.get(dataset.getProjectId()).isPreviewEnabled()) {
            return new Preview(profile.columnNames(), List.of(),
                    "Previews are switched off for this project (sensitive data). Profiles are still shown.");
        }
        List<List<String>> rows = new ArrayList<>();
        try (CsvReader<CsvRecord> csv = CsvProfiler.open(store.pathOf(version.getSha256()), version.delimiter())) {
            boolean first = profile.header();
            for (CsvRecord record : csv) {
                if (first) {
                    first = false;
                    continue;
                }
                if (record.getFieldCount() != profile.columns().size()) {
                    continue;
                }
                rows.add(record.getFields());
                if (rows.size() >= PREVIEW_ROWS) {
                    break;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Preview(profile.columnNames(), rows, null);
    }

    /** The preview as CSV, with cells that a spreadsheet would run as formulas neutralised. */
    @Transactional
    public String previewCsv(long versionId) {
        Preview preview = preview(versionId);
        if (preview.hidden()) {
            throw new BadInputException(null, preview.hiddenReason());
        }
        StringBuilder out = new StringBuilder();
        appendRow(out, preview.columns());
        preview.rows().forEach(row -> appendRow(out, row));
        return out.toString();
    }

    @Transactional
    public long count() {
        access.require(Permission.READ);
        return em.createQuery("select count(d) from Dataset d", Long.class).getSingleResult();
    }

    /** Bytes stored for this tenant, each distinct file once. */
    @Transactional
    public long storageBytes() {
        access.require(Permission.READ);
        Number sum = (Number) em.createNativeQuery("select coalesce(sum(size_bytes), 0) from (select distinct "
                + "sha256, size_bytes from dataset_version) files").getSingleResult();
        return sum.longValue();
    }

    /** A dataset version as storage sees it: its project, its uploaded size and since when it exists. */
    public record StoredVersion(long projectId, long sizeBytes, Instant since) {}

    /** Every version uploaded before {@code end}, for billing's storage meter (a job acting as the tenant). */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<StoredVersion> storedBefore(Instant end) {
        return em.createQuery("select d.projectId, v.sizeBytes, v.uploadedAt from DatasetVersion v, Dataset d "
                        + "where d.id = v.datasetId and v.uploadedAt < :end", Object[].class)
                .setParameter("end", end).getResultStream()
                .map(r -> new StoredVersion((Long) r[0], (Long) r[1], (Instant) r[2])).toList();
    }

    /** The rows of each of {@code versionIds} that exists in this tenant, for estimates that scale with the data. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Map<Long, Long> rowCounts(Collection<Long> versionIds) {
        if (versionIds.isEmpty()) {
            return Map.of();
        }
        return em.createQuery("select v.id, v.rowCount from DatasetVersion v where v.id in :ids", Object[].class)
                .setParameter("ids", versionIds).getResultStream()
                .collect(Collectors.toMap(r -> (Long) r[0], r -> (Long) r[1]));
    }

    static void appendRow(StringBuilder out, List<String> cells) {
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append(csvCell(cells.get(i)));
        }
        out.append("\r\n");
    }

    /** Quotes a cell and prefixes a quote mark to one starting with = + - @ (or tab/CR): no CSV injection. */
    static String csvCell(String value) {
        return "\"" + Csv.text(value).replace("\"", "\"\"") + "\"";
    }

    private List<DatasetVersion> versionsOf(long datasetId) {
        return em.createQuery("select v from DatasetVersion v where v.datasetId = :d order by v.version desc",
                DatasetVersion.class).setParameter("d", datasetId).getResultList();
    }

    private DatasetVersion find(long versionId) {
        return Optional.ofNullable(em.find(DatasetVersion.class, versionId))
                .orElseThrow(() -> new NotFoundException("Dataset version"));
    }

    private String datasetName(DatasetVersion version) {
        return em.find(Dataset.class, version.getDatasetId()).getName();
    }

    /** A refusal of a file says which file: a person may upload several, a script many. */
    private static BadInputException naming(String filename, BadInputException e) {
        String message = "“" + filename + "”: " + e.getMessage();
        return e instanceof TooLargeException
                ? new TooLargeException(e.field(), message)
                : new BadInputException(e.field(), message);
    }

    private static String clip(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }

}
