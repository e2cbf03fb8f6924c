package dev.runway.training;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Whether this node is draining: it is about to stop, so readiness reports DOWN and the load balancer sends it no new
 * requests. The graceful drain (stop claiming, checkpoint and hand runs over) sets it; a flag alone changes nothing else.
 */
@ApplicationScoped
public class Drain {

    private volatile boolean draining;

    public void start() {
        draining = true;
    }

    public void cancel() {
        draining = false;
    }

    public boolean draining() {
        return draining;
    }
}
