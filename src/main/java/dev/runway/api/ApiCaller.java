package dev.runway.api;

import dev.runway.tenancy.Actor;
import jakarta.enterprise.context.RequestScoped;
import java.util.Optional;

/**
 * The actor of one API request, found by {@link ApiKeyFilter}. Kept in the request scope rather than in
 * {@code TenantContext}'s thread: {@link ActsForKey} hands it to {@code TenantContext.runAs} around the resource
 * method only, so nothing outlives the request on a pooled thread.
 */
@RequestScoped
public class ApiCaller {

    private Actor actor;

    void set(Actor actor) {
        this.actor = actor;
    }

    public Optional<Actor> actor() {
        return Optional.ofNullable(actor);
    }
}
