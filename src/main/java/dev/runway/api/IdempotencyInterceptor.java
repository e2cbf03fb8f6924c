package dev.runway.api;

import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;
import jakarta.ws.rs.POST;

/**
 * Every POST of the API with an {@code Idempotency-Key} runs through {@link IdempotencyKeys#once}. Bound like
 * {@link ActsForKeyInterceptor} and ordered inside it, so that the key's company is already the tenant.
 */
@ActsForKey
@Interceptor
@Priority(Interceptor.Priority.APPLICATION + 10)
public class IdempotencyInterceptor {

    @Inject
    IdempotentRequest request;

    @Inject
    IdempotencyKeys keys;

    @AroundInvoke
    Object atMostOnce(InvocationContext invocation) throws Exception {
        if (request.key() == null || !invocation.getMethod().isAnnotationPresent(POST.class)) {
            return invocation.proceed();
        }
        return keys.once(request.key(), request.shape(), invocation);
    }
}
