package dev.runway.api;

import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.ext.Provider;
import java.util.Locale;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Every API request carries {@code Authorization: Bearer rw_…}; a missing, unknown, revoked or expired key gets a 401
 * problem; a worker node serves no API (as it serves no page). A known key's request then passes its rate limits
 * ({@link ApiRateLimits}: requests, and body bytes) or gets a 429 problem. Runs after the switch to a worker thread (the
 * endpoints are blocking), so the database lookup is allowed.
 */
@Provider
@Priority(Priorities.AUTHENTICATION)
public class ApiKeyFilter implements ContainerRequestFilter {

    private static final String BEARER = "bearer ";
    static final String WORKER_NODE = "This is a Runway worker node: it runs jobs and serves no API. Call a web node "
            + "instead.";

    @Inject
    ApiKeyService keys;

    @Inject
    ApiCaller caller;

    @Inject
    ApiRateLimits limits;

    @Inject
    @ConfigProperty(name = "runway.node.role", defaultValue = "web")
    String nodeRole;

    @Override
    public void filter(ContainerRequestContext request) {
        if ("worker".equalsIgnoreCase(nodeRole)) {
            request.abortWith(Problems.of(404, "not-found", "Not found", WORKER_NODE, null));
            return;
        }
        String key = bearerKey(request.getHeaderString(HttpHeaders.AUTHORIZATION));
        try {
            caller.set(keys.authenticate(key));
        } catch (ApiKeyRejectedException e) {
            request.abortWith(Problems.unauthorized(e.getMessage()));
            return;
        }
        long length = contentLength(request.getHeaderString(HttpHeaders.CONTENT_LENGTH));
        Optional<ApiRateLimits.Refusal> refused = limits.admit(key, length);
        if (refused.isPresent()) {
            request.abortWith(refused.get().response());
        } else if (length < 0 && request.hasEntity()) {
            request.setEntityStream(limits.counted(key, request.getEntityStream()));
        }
    }

    /** A declared body length, or -1 (none, or not a number: the HTTP layer refuses that itself). */
    static long contentLength(String header) {
        try {
            return header == null ? -1 : Long.parseLong(header.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The key of an {@code Authorization: Bearer …} header, or null (the tus servlet reads it the same way). */
    static String bearerKey(String header) {
        return header != null && header.length() > BEARER.length()
                && header.substring(0, BEARER.length()).toLowerCase(Locale.ROOT).equals(BEARER)
                ? header.substring(BEARER.length()) : null;
    }
}
