package dev.runway.api;

import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.ext.Provider;
import java.net.URI;

/**
 * Reads a POST's {@code Idempotency-Key} (after the API key is known, before the body is read) and refuses a
 * malformed one; {@link IdempotencyInterceptor} then runs the request at most once per key.
 */
@Provider
@Priority(Priorities.AUTHENTICATION + 100)
public class IdempotencyKeyFilter implements ContainerRequestFilter {

    static final String HEADER = "Idempotency-Key";
    static final int MAX_LENGTH = 255;

    @Inject
    IdempotentRequest idempotent;

    @Override
    public void filter(ContainerRequestContext request) {
        String key = request.getHeaderString(HEADER);
        if (key == null || !HttpMethod.POST.equals(request.getMethod())) {
            return;
        }
        if (key.isEmpty() || key.length() > MAX_LENGTH || !key.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            request.abortWith(Problems.badInput(HEADER, "An Idempotency-Key is 1 to " + MAX_LENGTH + " visible ASCII "
                    + "characters without spaces, e.g. a UUID"));
            return;
        }
        URI uri = request.getUriInfo().getRequestUri();
        // The request's shape includes the API key that sent it (only its hash is kept): the same Idempotency-Key
        // sent by another key of the company is another request (a 409), never a replay of the first key's answer,
        // which that key's role might not be allowed to see.
        idempotent.set(key, request.getMethod() + " " + uri.getRawPath()
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery())
                + "\n" + request.getHeaderString(HttpHeaders.CONTENT_TYPE)
                + "\n" + ApiKeyFilter.bearerKey(request.getHeaderString(HttpHeaders.AUTHORIZATION)));
    }
}
