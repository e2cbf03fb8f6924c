package dev.runway.tenancy;

import io.quarkus.hibernate.orm.PersistenceUnitExtension;
import io.quarkus.hibernate.orm.runtime.tenant.TenantResolver;
import jakarta.enterprise.context.ApplicationScoped;

/** Hibernate's first wall: every tenant-owned entity is filtered by the actor's tenant. */
@PersistenceUnitExtension
@ApplicationScoped
public class CurrentTenantResolver implements TenantResolver {

    /** Matches no tenant: with nobody acting, tenant-owned queries find nothing. */
    static final String NO_TENANT = "0";

    @Override
    public String getDefaultTenantId() {
        return NO_TENANT;
    }

    @Override
    public String resolveTenantId() {
        return TenantContext.current().map(a -> Long.toString(a.tenantId())).orElse(NO_TENANT);
    }
}
