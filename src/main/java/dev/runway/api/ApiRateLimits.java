package dev.runway.api;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Rate limits per API key, two token buckets per key kept on each web node: one counts requests, the other the bytes
 * of request bodies (uploads). A bucket holds up to its burst and refills at its rate; a request that finds too few
 * tokens is refused with a 429 problem and {@code Retry-After} (the seconds until it would pass). A body larger than
 * the byte burst passes when the bucket is full and leaves it in debt, so one large upload is never refused for its
 * size alone (the upload size limit is runway.datasets.max-upload-mb). The limits hold per node: behind N web nodes a
 * key may reach N times them (docs/api.md, "Rate limits").
 *
 * <p>The tus upload servlet, outside Jakarta REST, asks {@link #admitUpload} for each chunk it receives.
 */
@ApplicationScoped
public class ApiRateLimits {

    /** The limits in force: requests a second and their burst, body bytes a second and their burst. */
    record Limits(double requestsPerSecond, double requestBurst, double bytesPerSecond, double byteBurst) {}

    /** A refusal: the 429 problem and how long to wait, for a servlet ({@link #response()} for Jakarta REST). */
    public record Refusal(long retryAfterSeconds, String problemJson) {

        public static final int STATUS = 429;
        public static final String CONTENT_TYPE = Problems.MEDIA_TYPE;
        public static final String RETRY_AFTER = HttpHeaders.RETRY_AFTER;

        Response response() {
            return Response.status(STATUS).type(CONTENT_TYPE).header(RETRY_AFTER, retryAfterSeconds)
                    .entity(problemJson).build();
        }
    }

    private static final double MB = 1024 * 1024;
    private static final double NANOS = 1e9;

    @Inject
    @ConfigProperty(name = "runway.api.rate-limit.requests-per-second", defaultValue = "20")
    double requestsPerSecond;

    @Inject
    @ConfigProperty(name = "runway.api.rate-limit.request-burst", defaultValue = "100")
    double requestBurst;

    @Inject
    @ConfigProperty(name = "runway.api.rate-limit.upload-mb-per-second", defaultValue = "10")
    double uploadMbPerSecond;

    @Inject
    @ConfigProperty(name = "runway.api.rate-limit.upload-burst-mb", defaultValue = "1024")
    double uploadBurstMb;

    /** Monotonic, not the injected Clock: a wall clock moved back or forth would freeze or mint tokens. */
    private final LongSupplier nanoTime = System::nanoTime;

    private final Map<String, Bucket> requests = new ConcurrentHashMap<>();
    private final Map<String, Bucket> bytes = new ConcurrentHashMap<>();
    private volatile Limits limits;

    private Limits limits() {
        Limits in = limits;
        if (in == null) {
            in = new Limits(requestsPerSecond, requestBurst, uploadMbPerSecond * MB, uploadBurstMb * MB);
            limits = in;
        }
        return in;
    }

    /** Other limits from now on, every bucket full again (for tests; the configuration sets them otherwise). */
    void use(Limits other) {
        limits = other;
        requests.clear();
        bytes.clear();
    }

    /**
     * One request of {@code apiKey} with a body of {@code contentLength} bytes (-1: not declared, then count it with
     * {@link #counted} as it is read): nothing, or the 429 answer.
     */
    Optional<Refusal> admit(String apiKey, long contentLength) {
        Limits in = limits();
        String id = id(apiKey);
        long wait = requests.computeIfAbsent(id, k -> new Bucket(in.requestBurst(), in.requestsPerSecond()))
                .take(1, nanoTime.getAsLong());
        if (wait > 0) {
            return Optional.of(refusal(wait, "This API key sent more than " + count(in.requestBurst())
                    + " requests at once (the limit is " + count(in.requestsPerSecond()) + " a second on average)"));
        }
        return contentLength > 0 ? takeBytes(id, contentLength) : Optional.empty();
    }

    /**
     * For the tus upload servlet: one request of {@code apiKey} (the bearer key, already authenticated) carrying
     * {@code bytes} of an upload, e.g. a PATCH's Content-Length (0 for a request without a body). Empty: go ahead (it is
     * counted); otherwise answer the refusal (status {@link Refusal#STATUS}, {@code Retry-After}, problem JSON)
     * without reading the body.
     */
    public Optional<Refusal> admitUpload(String apiKey, long bytes) {
        return admit(apiKey, bytes);
    }

    /** A body of unknown length, counted against the key's byte bucket as it is read (never cut off midway). */
    InputStream counted(String apiKey, InputStream body) {
        String id = id(apiKey);
        return new FilterInputStream(body) {
            @Override
            public int read() throws IOException {
                int b = super.read();
                if (b >= 0) {
                    charge(id, 1);
                }
                return b;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                int n = super.read(buffer, offset, length);
                if (n > 0) {
                    charge(id, n);
                }
                return n;
            }
        };
    }

    private Optional<Refusal> takeBytes(String id, long count) {
        Limits in = limits();
        long wait = bytes.computeIfAbsent(id, k -> new Bucket(in.byteBurst(), in.bytesPerSecond()))
                .take(count, nanoTime.getAsLong());
        if (wait > 0) {
            return Optional.of(refusal(wait, "This API key uploaded more than " + megabytes(in.byteBurst())
                    + " MB at once (the limit is " + megabytes(in.bytesPerSecond()) + " MB a second on average)"));
        }
        return Optional.empty();
    }

    private void charge(String id, long count) {
        Limits in = limits();
        bytes.computeIfAbsent(id, k -> new Bucket(in.byteBurst(), in.bytesPerSecond()))
                .charge(count, nanoTime.getAsLong());
    }

    private static Refusal refusal(long waitNanos, String why) {
        long seconds = Math.max(1, (long) Math.ceil(waitNanos / NANOS));
        String detail = why + ": wait " + seconds + " s (Retry-After) and send it again";
        return new Refusal(seconds, Problems.json(new Problem("urn:runway:problem:rate-limited", "Too many requests",
                Refusal.STATUS, detail, null)));
    }

    /** The key's public part (rw_<prefix>_…): unique per key, and no secret kept in memory. */
    private static String id(String apiKey) {
        String[] parts = apiKey.strip().split("_", 3);
        return parts.length == 3 ? parts[1] : apiKey;
    }

    private static String count(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }

    private static String megabytes(double value) {
        return count(Math.round(value / MB * 100) / 100.0);
    }

    /** A token bucket; time in nanoseconds of a monotonic clock. */
    static final class Bucket {
        private final double capacity;
        private final double perNano;
        private double tokens;
        private long at;
        private boolean started;

        Bucket(double capacity, double perSecond) {
            this.capacity = capacity;
            this.perNano = perSecond / NANOS;
            this.tokens = capacity;
        }

        /**
         * Takes {@code count} tokens and answers 0, or takes none and answers the nanoseconds until they would be
         * there. More than the capacity is taken from a full bucket, which goes into debt.
         */
        synchronized long take(double count, long now) {
            refill(now);
            double needed = Math.min(count, capacity);
            if (tokens >= needed) {
                tokens -= count;
                return 0;
            }
            return Math.max(1, (long) Math.ceil((needed - tokens) / perNano));
        }

        /** Takes {@code count} tokens whatever is left (bytes already received). */
        synchronized void charge(double count, long now) {
            refill(now);
            tokens -= count;
        }

        private void refill(long now) {
            if (started) {
                tokens = Math.min(capacity, tokens + Math.max(0, now - at) * perNano);
            }
            started = true;
            at = now;
        }
    }
}
