package dev.runway.api;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

/**
 * Answers of an updatable resource carry its {@code ETag} (dev.runway.base.ETag), on GET and on the answer to a
 * PATCH or PUT, so that the client's next change can send it back as {@code If-Match}. The service makes the check;
 * the resource only passes the header on ({@code @HeaderParam(Tagged.IF_MATCH) String ifMatch}).
 */
final class Tagged {

    static final String IF_MATCH = HttpHeaders.IF_MATCH;

    static final String DESCRIPTION = "The entity tag of what is answered: send it back as If-Match to change it "
            + "only if nobody changed it since";

    private Tagged() {}

    static Response ok(Object entity, String etag) {
        return Response.ok(entity).header(HttpHeaders.ETAG, etag).build();
    }
}
