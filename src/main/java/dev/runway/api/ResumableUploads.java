package dev.runway.api;

import dev.runway.base.BadInputException;
import dev.runway.base.NotFoundException;
import dev.runway.base.Text;
import dev.runway.base.TooLargeException;
import dev.runway.dataset.Dataset;
import dev.runway.dataset.DatasetService;
import dev.runway.dataset.DatasetVersion;
import dev.runway.project.Project;
import dev.runway.project.ProjectService;
import dev.runway.tenancy.Access;
import dev.runway.tenancy.Actor;
import dev.runway.tenancy.Permission;
import dev.runway.tenancy.TenantContext;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.control.ActivateRequestContext;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import me.desair.tus.server.TusFileUploadService;
import me.desair.tus.server.exception.TusException;
import me.desair.tus.server.upload.UploadInfo;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Resumable uploads of dataset versions (tus 1.0, docs/api.md): the tus protocol itself is tus-java-server's, with its
 * state on disk under the storage root ({@code tus/}), so an upload survives a dropped connection and a restart of the
 * node; this service decides who may begin one and where it goes, keeps the {@code resumable_upload} row, registers
 * the complete bytes through the API's ordinary upload ({@link Uploads}: content store, profiler, size cap, refusals),
 * and removes what was abandoned.
 */
@ApplicationScoped
class ResumableUploads {

    private static final Logger LOG = Logger.getLogger(ResumableUploads.class);

    /** Where the tus endpoint is served (the creation URL; an upload is {@code PATH/<id>}). */
    static final String PATH = "/api/v1/uploads";

    /** The project and dataset an upload becomes a version of, and the file's name. */
    record Target(long projectId, String datasetName, String filename) {}

    @Inject
    EntityManager em;

    @Inject
    Access access;

    @Inject
    ProjectService projects;

    @Inject
    DatasetService datasets;

    @Inject
    Uploads uploads;

    @Inject
    Clock clock;

    @ConfigProperty(name = "runway.storage.root")
    Path root;

    @ConfigProperty(name = "runway.datasets.max-upload-mb", defaultValue = "200")
    long maxUploadMb;

    /** An upload with no request for this long is removed, bytes and row (docs/api.md). */
    @ConfigProperty(name = "runway.uploads.abandoned-after", defaultValue = "24h")
    Duration abandonedAfter;

    private TusFileUploadService tus;

    @PostConstruct
    void open() throws IOException {
        Path storage = Files.createDirectories(root.resolve("tus"));
        // Nothing of an upload lives in memory: a new service on the same folder (another node sharing the storage
        // root, or this one after a restart) picks every upload up where its bytes end.
        tus = new TusFileUploadService()
                .withStoragePath(storage.toString())
                .withUploadUri(PATH)
                .withMaxUploadSize(maxUploadMb * 1024 * 1024)
                // Its own expiry (by the system clock) only sweeps what has no row: see removeAbandoned.
                .withUploadExpirationPeriod(abandonedAfter.plusHours(1).toMillis())
                // Uploads of several parts would bypass the size check made when an upload begins.
                .disableTusExtension("concatenation");
    }

    TusFileUploadService tus() {
        return tus;
    }

    /** The tus owner of a company's uploads: an upload of another company is not found, as in the database. */
    static String owner(long tenantId) {
        return "tenant:" + tenantId;
    }

    /**
     * Checks that the acting key may upload {@code length} bytes into the dataset the metadata names
     * ({@code projectId} and {@code dataset}, or {@code datasetId}), before a byte is stored.
     */
    @Transactional
    Target target(Map<String, String> metadata, Long length) {
        access.require(Permission.MANAGE_PROJECTS);
        long projectId;
        String datasetName;
        String datasetId = metadata.get("datasetId");
        if (datasetId != null) {
            Dataset dataset = datasets.dataset(number("datasetId", datasetId));
            projectId = dataset.getProjectId();
            datasetName = dataset.getName();
        } else {
            String project = metadata.get("projectId");
            if (project == null) {
                throw new BadInputException("projectId", "Name the project (Upload-Metadata “projectId”) and the "
                        + "dataset (“dataset”), or an existing dataset (“datasetId”)");
            }
            projectId = number("projectId", project);
            datasetName = Text.required("dataset", "Dataset name", metadata.get("dataset"), Dataset.NAME_MAX);
        }
        Project project = projects.get(projectId);
        if (project.isArchived()) {
            throw new BadInputException(null, "“" + project.getName() + "” is archived: restore it to add data");
        }
        String given = metadata.get("filename");
        String filename = given == null || given.isBlank() ? datasetName + ".csv" : clip(given.strip());
        if (length == null) {
            throw new BadInputException("Upload-Length", "Send the file's size in bytes as Upload-Length "
                    + "(a deferred length is not accepted)");
        }
        long max = maxUploadMb * 1024 * 1024;
        if (length > max) {
            throw new TooLargeException("file", "“" + filename + "”: The file is larger than the limit of "
                    + maxUploadMb + " MB; split it or ask an admin to raise the limit");
        }
        return new Target(projectId, datasetName, filename);
    }

    /** Records an upload tus has just created. */
    @Transactional
    void begun(String id, Target target, long length) {
        Actor actor = access.require(Permission.MANAGE_PROJECTS);
        em.persist(new ResumableUpload(id, target, length, actor.userId(), clock.instant()));
    }

    /** The company's upload with this id (another company's, or a removed one, is not found). */
    @Transactional
    Optional<ResumableUpload> find(String id) {
        access.require(Permission.READ);
        return Optional.ofNullable(em.find(ResumableUpload.class, id));
    }

    /** A request reached the upload: it is not abandoned. */
    @Transactional
    void touch(String id) {
        access.require(Permission.MANAGE_PROJECTS);
        upload(id).touch(clock.instant());
    }

    /**
     * Registers the upload's complete bytes as the next version of its dataset, through the same upload as a CSV sent
     * in one request, once: a second call answers the version of the first. Two requests that find the upload complete
     * at once (a PATCH whose connection dropped at the end, and the client's HEAD) register it once: the upload's row
     * is locked while it is registered. A refused file (not a usable CSV, …) is removed, bytes and row, and the refusal
     * thrown as it is; on any other failure everything stays, so that the next request (a HEAD when the client
     * resumes) tries again.
     */
    long register(String id) throws IOException {
        String owner = owner(TenantContext.current().orElseThrow().tenantId());
        long versionId;
        try {
            versionId = QuarkusTransaction.requiringNew().call(() -> {
                access.require(Permission.MANAGE_PROJECTS);
                ResumableUpload upload = Optional.ofNullable(
                                em.find(ResumableUpload.class, id, LockModeType.PESSIMISTIC_WRITE))
                        .orElseThrow(() -> new NotFoundException("Upload"));
                if (upload.datasetVersionId() != null) {
                    return upload.datasetVersionId();
                }
                try (InputStream bytes = tus.getUploadedBytes(PATH + "/" + id, owner)) {
                    // Identical bytes keep the dataset's existing version unless the metadata says "force": "true",
                    // as a one-request upload does with ?force=true.
                    UploadInfo info = tus.getUploadInfo(PATH + "/" + id, owner);
                    boolean force = info != null && "true".equals(info.getMetadata().get("force"));
                    DatasetVersion version = uploads.upload(upload.projectId(), upload.datasetName(),
                            upload.filename(), bytes, force).version();
                    upload.registered(version.getId());
                    return version.getId();
                } catch (TusException e) {
                    throw new IOException("The bytes of upload " + id + " cannot be read", e);
                }
            });
        } catch (BadInputException refused) {
            remove(id);
            throw refused;
        }
        // The bytes are in the content store now; only the row stays (until it is abandoned) to answer what they became.
        deleteBytes(id, owner);
        return versionId;
    }

    /** Ends an upload: its bytes and its row go. */
    void remove(String id) throws IOException {
        QuarkusTransaction.requiringNew().run(() -> {
            access.require(Permission.MANAGE_PROJECTS);
            em.remove(upload(id));
        });
        deleteBytes(id, owner(TenantContext.current().orElseThrow().tenantId()));
    }

    /**
     * Removes the uploads nobody has touched for {@code runway.uploads.abandoned-after}, in every company, and the tus
     * folders that have no row (a node that stopped between creating one and recording it). Idempotent: safe on every
     * node at once.
     */
    @ActivateRequestContext
    int removeAbandoned() throws IOException {
        List<Long> tenants = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(
                "select id from tenant order by id", Long.class).getResultList());
        Instant before = clock.instant().minus(abandonedAfter);
        int removed = 0;
        for (long tenantId : tenants) {
            List<String> ids = TenantContext.runAs(new Actor(0, tenantId), () -> QuarkusTransaction.requiringNew()
                    .call(() -> em.createQuery("select u.id from ResumableUpload u where u.touchedAt < :before",
                            String.class).setParameter("before", before).getResultList()));
            for (String id : ids) {
                TenantContext.runAs(new Actor(0, tenantId), () -> QuarkusTransaction.requiringNew().run(() ->
                        em.createQuery("delete from ResumableUpload u where u.id = :id and u.touchedAt < :before")
                                .setParameter("id", id).setParameter("before", before).executeUpdate()));
                deleteBytes(id, owner(tenantId));
                removed++;
            }
        }
        tus.cleanup();
        if (removed > 0) {
            LOG.infof("Removed %d abandoned upload(s)", removed);
        }
        return removed;
    }

    /** The bytes an upload has received so far, or -1 when tus has none of it. */
    long offset(String id, long tenantId) throws IOException {
        try {
            UploadInfo info = tus.getUploadInfo(PATH + "/" + id, owner(tenantId));
            return info == null ? -1 : info.getOffset();
        } catch (TusException e) {
            return -1;
        }
    }

    void deleteBytes(String id, String owner) throws IOException {
        try {
            tus.deleteUpload(PATH + "/" + id, owner);
        } catch (TusException e) {
            throw new IOException("Upload " + id + " could not be removed", e);
        }
    }

    private ResumableUpload upload(String id) {
        return Optional.ofNullable(em.find(ResumableUpload.class, id))
                .orElseThrow(() -> new NotFoundException("Upload"));
    }

    private static long number(String field, String value) {
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            throw new BadInputException(field, "“" + field + "” must be a number (an id), not “" + value + "”");
        }
    }

    private static String clip(String filename) {
        return filename.length() <= 255 ? filename : filename.substring(0, 255);
    }
}
