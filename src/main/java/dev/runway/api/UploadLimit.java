package dev.runway.api;

import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * An API request whose declared length is over the upload limit gets a 413 problem. Quarkus refuses such a request
 * itself (quarkus.http.limits.max-body-size, the same limit) before Jakarta REST ever sees it, with an empty body; this
 * route runs just before that check, so API clients get problem details like for every other error.
 */
@ApplicationScoped
class UploadLimit {

    /** Just before Quarkus' own limit (RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT, -2), after its headers (MIN_VALUE). */
    static final int ORDER = -3;

    /** Just after Quarkus' limit route, which puts the limit for bodies without a length under this key. */
    static final int ORDER_STREAMED = -1;
    static final String QUARKUS_LIMIT_KEY = "io.quarkus.max-request-size";
    static final long STREAM_SLACK = 1024 * 1024;

    @ConfigProperty(name = "runway.datasets.max-upload-mb", defaultValue = "200")
    long maxUploadMb;

    void install(@Observes Router router) {
        router.route("/api/*").order(ORDER).handler(this::check);
        router.route("/api/*").order(ORDER_STREAMED).handler(this::allowStoreToRefuse);
    }

    /**
     * A body without a declared length (chunked): Quarkus would cut it off at the limit with a bare 413. The dataset
     * store counts the same limit while it writes and refuses with a TooLargeException (a 413 problem), so Quarkus'
     * cut-off is moved just past it; it still bounds what any API request may send.
     */
    private void allowStoreToRefuse(RoutingContext context) {
        if (context.get(QUARKUS_LIMIT_KEY) != null) {
            context.put(QUARKUS_LIMIT_KEY, maxUploadMb * 1024 * 1024 + STREAM_SLACK);
        }
        context.next();
    }

    private void check(RoutingContext context) {
        String length = context.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        long limit = maxUploadMb * 1024 * 1024;
        if (length != null && parse(length) > limit) {
            Problem problem = Problems.tooLargeProblem("The request body is larger than the limit of " + maxUploadMb
                    + " MB; split the file or ask an admin to raise runway.datasets.max-upload-mb", "file");
            // The body is not read: the connection is closed once the answer is out, as Quarkus does.
            context.response().setStatusCode(413)
                    .putHeader(HttpHeaders.CONTENT_TYPE, Problems.MEDIA_TYPE)
                    .putHeader(HttpHeaders.CONNECTION, "close")
                    .endHandler(ignored -> context.request().connection().close())
                    .end(Problems.json(problem));
            return;
        }
        context.next();
    }

    private static long parse(String length) {
        try {
            return Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            return -1;   // left to the HTTP layer, which refuses a malformed length itself
        }
    }
}
