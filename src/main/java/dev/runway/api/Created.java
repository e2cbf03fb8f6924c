package dev.runway.api;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

/**
 * A 201 whose {@code Location} is the new resource's path, relative to the host the client already talks to.
 * {@code Response.created} would resolve a path against the request's own URL: the API's base path came out twice,
 * and the host was whatever the request's {@code Host} header claimed.
 */
final class Created {

    private Created() {}

    static Response.ResponseBuilder at(String path) {
        return Response.status(Response.Status.CREATED).header(HttpHeaders.LOCATION, path);
    }
}
