package dev.runway.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.runway.tenancy.Actor;
import dev.runway.tenancy.TenantContext;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.interceptor.InvocationContext;
import jakarta.transaction.Status;
import jakarta.transaction.SystemException;
import jakarta.transaction.TransactionManager;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.multipart.FileUpload;

/**
 * {@code Idempotency-Key} on the API's POSTs, as Stripe has it: per company, the first successful answer to a key is
 * kept for {@link #KEPT} and replayed to every retry with the same request; the key with another request is a 409.
 *
 * <p>The key's row is inserted in ONE transaction with the request's work (the services join it), so: a concurrent
 * retry blocks on the row's primary key until the first commits (then it replays the answer) or rolls back (then it
 * does the work itself); a first attempt that fails (4xx or 5xx) rolls back and leaves the key free; and nothing can
 * commit the work without the answer, or the answer without the work. Work a service commits in a transaction of its
 * own (an upload's version, a model import, a sweep's trials) is not undone by a later failure, as without a key.
 */
@ApplicationScoped
public class IdempotencyKeys {

    private static final Logger LOG = Logger.getLogger(IdempotencyKeys.class);

    /** How long an answer is kept (and the key reserved): Stripe's 24 hours. */
    static final Duration KEPT = Duration.ofHours(24);

    /** The request's transaction may carry a whole upload (up to runway.datasets.max-upload-mb on a slow link). */
    static final int TRANSACTION_TIMEOUT_SECONDS = 3600;

    static final String REPLAYED = "Idempotent-Replayed";

    @Inject
    TransactionManager transactions;

    @Inject
    DataSource dataSource;

    @Inject
    ObjectMapper json;

    @Inject
    Clock clock;

    private ScheduledExecutorService timer;

    /** A kept answer. */
    record Answer(int status, String type, String location, String etag, String body) {

        Response response() {
            Response.ResponseBuilder response = Response.status(status).header(REPLAYED, "true");
            if (type != null) {
                response.header(HttpHeaders.CONTENT_TYPE, type);
            }
            if (location != null) {
                response.header(HttpHeaders.LOCATION, location);
            }
            if (etag != null) {
                response.header(HttpHeaders.ETAG, etag);
            }
            return body == null ? response.build() : response.entity(body).build();
        }
    }

    /** Thrown to answer a retry with the kept answer (mapped by {@link ProblemMappers.Replay}). */
    static final class ReplayException extends RuntimeException {
        private final transient Answer answer;

        ReplayException(Answer answer) {
            super(null, null, false, false);
            this.answer = answer;
        }

        Response response() {
            return answer.response();
        }
    }

    /** The key was used for another request: a 409 problem (mapped by {@link ProblemMappers.KeyReused}). */
    static final class KeyReusedException extends RuntimeException {
        KeyReusedException(String message) {
            super(message);
        }
    }

    /** Runs the resource method at most once for {@code key} in the caller's company; see the class comment. */
    Object once(String key, String shape, InvocationContext invocation) throws Exception {
        long tenantId = TenantContext.current().map(Actor::tenantId)
                .orElseThrow(() -> new IllegalStateException("An idempotent request without a tenant"));
        Instant now = clock.instant();
        transactions.setTransactionTimeout(TRANSACTION_TIMEOUT_SECONDS);
        try {
            transactions.begin();
        } finally {
            transactions.setTransactionTimeout(0);
        }
        try {
            if (!claim(tenantId, key, now)) {
                Kept kept = kept(tenantId, key).orElseThrow(() -> new IllegalStateException("A claimed key vanished"));
                String hash = hash(shape, invocation.getParameters());
                transactions.commit();
                if (!hash.equals(kept.requestHash())) {
                    throw new KeyReusedException("This Idempotency-Key was used at " + kept.createdAt() + " for "
                            + "another request (another API key, path or body); keys are kept for 24 hours: send a "
                            + "new key for a new request");
                }
                throw new ReplayException(kept.answer());
            }
            Object[] parameters = invocation.getParameters();
            Object result = invocation.proceed();
            Answer answer = answer(result);
            if (answer.status() >= 200 && answer.status() < 300) {
                keep(tenantId, key, hash(shape, parameters), answer);
            } else {
                forget(tenantId, key);
            }
            transactions.commit();
            return result;
        } finally {
            if (transactions.getStatus() != Status.STATUS_NO_TRANSACTION) {
                rollback();
            }
        }
    }

    private record Kept(Instant createdAt, String requestHash, Answer answer) {}

    /**
     * Inserts the key's row, or takes over one older than {@link #KEPT}; false when a live one exists. Waits while
     * another transaction holds the same key, until it ends.
     */
    private boolean claim(long tenantId, String key, Instant now) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("insert into idempotency_key (tenant_id, idem_key, created_at)"
                        + " values (?, ?, ?) on conflict (tenant_id, idem_key) do update set created_at = excluded"
                        + ".created_at, request_hash = null, response_status = null, response_type = null, "
                        + "response_location = null, response_etag = null, response_body = null"
                        + " where idempotency_key.created_at < ? returning 1")) {
            s.setLong(1, tenantId);
            s.setString(2, key);
            s.setTimestamp(3, Timestamp.from(now));
            s.setTimestamp(4, Timestamp.from(now.minus(KEPT)));
            try (ResultSet r = s.executeQuery()) {
                return r.next();
            }
        }
    }

    private Optional<Kept> kept(long tenantId, String key) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("select created_at, request_hash, response_status, "
                        + "response_type, response_location, response_etag, response_body from idempotency_key "
                        + "where tenant_id = ? and idem_key = ?")) {
            s.setLong(1, tenantId);
            s.setString(2, key);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Kept(r.getTimestamp(1).toInstant(), r.getString(2), new Answer(r.getInt(3),
                        r.getString(4), r.getString(5), r.getString(6), r.getString(7))));
            }
        }
    }

    private void keep(long tenantId, String key, String requestHash, Answer answer) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("update idempotency_key set request_hash = ?, "
                        + "response_status = ?, response_type = ?, response_location = ?, response_etag = ?, "
                        + "response_body = ? where tenant_id = ? and idem_key = ?")) {
            s.setString(1, requestHash);
            s.setInt(2, answer.status());
            s.setString(3, answer.type());
            s.setString(4, answer.location());
            s.setString(5, answer.etag());
            s.setString(6, answer.body());
            s.setLong(7, tenantId);
            s.setString(8, key);
            s.executeUpdate();
        }
    }

    /** An error answer the method returned (rather than threw): the key stays free for a corrected retry. */
    private void forget(long tenantId, String key) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(
                        "delete from idempotency_key where tenant_id = ? and idem_key = ?")) {
            s.setLong(1, tenantId);
            s.setString(2, key);
            s.executeUpdate();
        }
    }

    /** The answer as the client gets it: a Response's status and headers, or a 200 (204) with the returned object. */
    private Answer answer(Object result) throws IOException {
        if (result instanceof Response response) {
            Object entity = response.getEntity();
            MediaType type = response.getMediaType();
            String location = response.getHeaderString(HttpHeaders.LOCATION);
            return new Answer(response.getStatus(), entity == null ? null
                    : (type == null ? MediaType.APPLICATION_JSON : type.toString()),
                    location, response.getHeaderString(HttpHeaders.ETAG), body(entity));
        }
        return result == null ? new Answer(204, null, null, null, null)
                : new Answer(200, MediaType.APPLICATION_JSON, null, null, body(result));
    }

    private String body(Object entity) throws IOException {
        if (entity == null) {
            return null;
        }
        return entity instanceof String text ? text : json.writeValueAsString(entity);
    }

    /**
     * What makes two requests the same: method, path, query and content type, then each parameter of the resource
     * method as it was read (a JSON body as JSON, so spacing and key order of a typed body do not matter; a multipart
     * file byte by byte, from where the HTTP layer spooled it).
     */
    private String hash(String shape, Object[] parameters) throws IOException {
        MessageDigest sha256 = sha256();
        update(sha256, shape.getBytes(StandardCharsets.UTF_8));
        for (Object parameter : parameters) {
            if (parameter instanceof FileUpload file) {
                MessageDigest content = sha256();
                if (file.uploadedFile() != null) {
                    try (InputStream in = Files.newInputStream(file.uploadedFile())) {
                        byte[] buffer = new byte[65536];
                        for (int n; (n = in.read(buffer)) > 0; ) {
                            content.update(buffer, 0, n);
                        }
                    }
                }
                update(sha256, (file.fileName() + "\n" + file.contentType()).getBytes(StandardCharsets.UTF_8));
                update(sha256, content.digest());
            } else {
                update(sha256, json.writeValueAsBytes(parameter));
            }
        }
        return HexFormat.of().formatHex(sha256.digest());
    }

    /** Length-prefixed, so that parameters cannot run into each other. */
    private static void update(MessageDigest digest, byte[] bytes) {
        digest.update((bytes.length + ":").getBytes(StandardCharsets.US_ASCII));
        digest.update(bytes);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private void rollback() {
        try {
            transactions.rollback();
        } catch (SystemException | IllegalStateException e) {
            LOG.warn("Rolling back an idempotent request failed", e);
        }
    }

    void start(@Observes StartupEvent event) {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "runway-idempotency-keys");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::purgeSafely, 5, 60, TimeUnit.MINUTES);
    }

    void stop(@Observes ShutdownEvent event) {
        if (timer != null) {
            timer.shutdownNow();
        }
    }

    private void purgeSafely() {
        try {
            purge();
        } catch (RuntimeException e) {
            LOG.warn("Forgetting expired idempotency keys failed; it is tried again in an hour", e);
        }
    }

    /** Forgets every company's keys older than {@link #KEPT} (a claim takes an expired key over anyway). */
    long purge() {
        return QuarkusTransaction.requiringNew().call(() -> {
            try (Connection c = dataSource.getConnection();
                    PreparedStatement s = c.prepareStatement("select idempotency_key_purge(?)")) {
                s.setTimestamp(1, Timestamp.from(clock.instant().minus(KEPT)));
                try (ResultSet r = s.executeQuery()) {
                    r.next();
                    return r.getLong(1);
                }
            }
        });
    }
}
