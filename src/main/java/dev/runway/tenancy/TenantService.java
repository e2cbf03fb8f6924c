package dev.runway.tenancy;

import dev.runway.base.Text;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

/** The current tenant's own settings. */
@ApplicationScoped
public class TenantService {

    @Inject
    EntityManager em;

    @Inject
    Access access;

    @Inject
    AuditLog audit;

    @Transactional
    public Tenant current() {
        Actor actor = access.require(Permission.READ);
        return em.find(Tenant.class, actor.tenantId());
    }

    @Transactional
    public void rename(String name) {
        Actor actor = access.require(Permission.MANAGE_SETTINGS);
        String newName = Text.required("companyName", "Company name", name, Tenant.NAME_MAX);
        Tenant tenant = em.find(Tenant.class, actor.tenantId());
        String before = tenant.getName();
        if (!before.equals(newName)) {
            tenant.rename(newName);
            audit.record("tenant.renamed", tenant.getSlug(), before, newName);
        }
    }
}
