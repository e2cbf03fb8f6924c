package dev.runway.api;

import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
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

    @ConfigProperty(name = "runway.datasets.max-upload-mb", defaultValue = "200")
    long maxUploadMb;

    void install(@Observes Router router) {
        router.route("/api/*").order(ORDER).handler(this::check);
    }

    private void check(RoutingContext context) {
        String length = context.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        long limit = maxUploadMb * 1024 * 1024;
        if (length != null && parse(length) > limit) {
            Problem problem = new Problem("urn:runway:problem:payload-too-large", "Payload too large", 413,
                    "The request body is larger than the limit of " + maxUploadMb
                            + " MB; split the file or ask an admin to raise runway.datasets.max-upload-mb",
                    List.of(new Problem.FieldError("file", "larger than " + maxUploadMb + " MB")));
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
