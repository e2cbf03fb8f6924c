package dev.runway.tenancy;

import jakarta.persistence.PostLoad;
import jakarta.persistence.PrePersist;
import jakarta.persistence.PreRemove;
import jakarta.persistence.PreUpdate;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.jboss.logging.Logger;

/**
 * The application's wall between tenants, beside PostgreSQL's row-level security. Every tenant-owned entity names it
 * in {@code @EntityListeners} and has a {@code Long tenantId} field on its {@code tenant_id} column. A new entity is
 * stamped with the acting tenant (one naming another tenant is refused), and an entity of another tenant, or of any
 * tenant while nobody acts, fails loudly when it is loaded, changed or removed: a security error in the log and an
 * {@link IllegalStateException} that rolls the transaction back, so nothing of it reaches the caller.
 *
 * <p>It replaces Hibernate's discriminator multitenancy ({@code @TenantId}), whose always-enabled filter kept
 * Hibernate from caching query plans and entity loaders, so that every query of every service call was translated
 * afresh (docs/benchmarks.md, "Tenant filter and plan cache"). The guard reads one field per entity and runs no
 * query. Unlike the filter it does not narrow queries: row-level security does, and a query over a table whose
 * policies show more than the tenant's rows ({@code membership}: a user's own memberships in every tenant) names its
 * tenant itself (docs/tenancy.md). Scalar projections, counts and bulk statements load no entity, so only row-level
 * security and their own conditions stand there.
 */
public class TenantGuard {

    private static final Logger LOG = Logger.getLogger(TenantGuard.class);

    private static final ClassValue<VarHandle> TENANT_ID = new ClassValue<>() {
        @Override
        protected VarHandle computeValue(Class<?> type) {
            for (Class<?> c = type; c != Object.class; c = c.getSuperclass()) {
                try {
                    return MethodHandles.privateLookupIn(c, MethodHandles.lookup())
                            .findVarHandle(c, "tenantId", Long.class);
                } catch (NoSuchFieldException e) {
                    // Look in the superclass.
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException("Cannot read the tenant of " + type.getName(), e);
                }
            }
            throw new IllegalStateException(type.getName() + " is guarded by TenantGuard but has no Long tenantId");
        }
    };

    @PrePersist
    void stamp(Object entity) {
        VarHandle field = TENANT_ID.get(entity.getClass());
        Long acting = actingTenant();
        Long assigned = (Long) field.get(entity);
        if (acting == null || (assigned != null && !assigned.equals(acting))) {
            throw refused("persist", entity, assigned, acting);
        }
        field.set(entity, acting);
    }

    @PostLoad
    void loaded(Object entity) {
        check("load", entity);
    }

    @PreUpdate
    void updating(Object entity) {
        check("update", entity);
    }

    @PreRemove
    void removing(Object entity) {
        check("remove", entity);
    }

    private static void check(String action, Object entity) {
        Long tenant = (Long) TENANT_ID.get(entity.getClass()).get(entity);
        Long acting = actingTenant();
        if (acting == null || !acting.equals(tenant)) {
            throw refused(action, entity, tenant, acting);
        }
    }

    private static Long actingTenant() {
        Actor actor = TenantContext.current().orElse(null);
        return actor == null ? null : actor.tenantId();
    }

    private static IllegalStateException refused(String action, Object entity, Long tenant, Long acting) {
        String message = "SECURITY: refused to " + action + " " + entity.getClass().getSimpleName() + " of tenant "
                + tenant + " while " + (acting == null ? "no tenant acts" : "tenant " + acting + " acts");
        IllegalStateException e = new IllegalStateException(message);
        LOG.error(message, e);
        return e;
    }
}
