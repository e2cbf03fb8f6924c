package dev.runway.api;

import dev.runway.tenancy.Actor;
import dev.runway.tenancy.TenantContext;
import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;

/**
 * Runs an API resource method as the actor its key stands for, so that the services' permission checks, the tenant
 * guard and row-level security all see the key's tenant. A method reached without an authenticated key
 * (which the filter prevents) is refused.
 */
@ActsForKey
@Interceptor
@Priority(Interceptor.Priority.APPLICATION)
public class ActsForKeyInterceptor {

    @Inject
    ApiCaller caller;

    @AroundInvoke
    Object asKeyHolder(InvocationContext invocation) throws Exception {
        Actor actor = caller.actor().orElseThrow(() -> new ApiKeyRejectedException("Send an API key"));
        Object[] result = new Object[1];
        Exception[] failure = new Exception[1];
        TenantContext.runAs(actor, () -> {
            try {
                result[0] = invocation.proceed();
            } catch (Exception e) {
                failure[0] = e;
            }
        });
        if (failure[0] != null) {
            throw failure[0];
        }
        return result[0];
    }
}
