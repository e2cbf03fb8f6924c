package dev.runway.api;

import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;
import jakarta.ws.rs.POST;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Every POST of the API with an {@code Idempotency-Key} runs through {@link IdempotencyKeys#once}. Bound like
 * {@link ActsForKeyInterceptor} and ordered inside it, so that the key's company is already the tenant.
 *
 * <p>Except a CSV sent as the request body: {@code once} holds a transaction (and a connection) while the method runs,
 * and such a body streams in while it runs, for as long as the link takes. An upload is idempotent by its bytes
 * instead: the same file again keeps the version it became (a {@code 200}, docs/datasets.md, "Identical uploads").
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
        if (request.key() == null || !invocation.getMethod().isAnnotationPresent(POST.class)
                || Arrays.stream(invocation.getMethod().getParameterTypes()).anyMatch(InputStream.class::equals)) {
            return invocation.proceed();
        }
        return keys.once(request.key(), request.shape(), invocation);
    }
}
