package dev.runway.api;

import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.ext.Provider;
import java.util.Locale;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Every API request carries {@code Authorization: Bearer rw_…}; a missing, unknown, revoked or expired key gets a 401
 * problem; a worker node serves no API (as it serves no page). Runs after the switch to a worker thread (the
 * endpoints are blocking), so the database lookup is allowed.
 */
@Provider
@Priority(Priorities.AUTHENTICATION)
public class ApiKeyFilter implements ContainerRequestFilter {

    private static final String BEARER = "bearer ";

    @Inject
    ApiKeyService keys;

    @Inject
    ApiCaller caller;

    @Inject
    @ConfigProperty(name = "runway.node.role", defaultValue = "web")
    String nodeRole;

    @Override
    public void filter(ContainerRequestContext request) {
        if ("worker".equalsIgnoreCase(nodeRole)) {
            request.abortWith(Problems.of(404, "not-found", "Not found", "This is a Runway worker node: it runs "
                    + "jobs and serves no API. Call a web node instead.", null));
            return;
        }
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        String key = header != null && header.length() > BEARER.length()
                && header.substring(0, BEARER.length()).toLowerCase(Locale.ROOT).equals(BEARER)
                ? header.substring(BEARER.length()) : null;
        try {
            caller.set(keys.authenticate(key));
        } catch (ApiKeyRejectedException e) {
            request.abortWith(Problems.unauthorized(e.getMessage()));
        }
    }
}
