package dev.runway.api;

import jakarta.enterprise.context.RequestScoped;

/**
 * The {@code Idempotency-Key} of one API POST and what identifies the request besides its body (method, path with
 * query, content type), found by {@link IdempotencyKeyFilter} for {@link IdempotencyInterceptor}.
 */
@RequestScoped
public class IdempotentRequest {

    private String key;
    private String shape;

    void set(String key, String shape) {
        this.key = key;
        this.shape = shape;
    }

    /** Null when the request sent no key. */
    String key() {
        return key;
    }

    String shape() {
        return shape;
    }
}
