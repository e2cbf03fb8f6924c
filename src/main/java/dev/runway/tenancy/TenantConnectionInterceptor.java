package dev.runway.tenancy;

import io.agroal.api.AgroalPoolInterceptor;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * PostgreSQL's second wall: sets {@code app.tenant_id} and {@code app.user_id} for the transaction a connection is
 * handed to (a JTA transaction acquires its connection once), so row-level security applies to Hibernate, native SQL
 * and plain JDBC alike. Outside a transaction the settings vanish at once and tenant-owned tables look empty.
 */
@ApplicationScoped
public class TenantConnectionInterceptor implements AgroalPoolInterceptor {

    @Override
    public void onConnectionAcquire(Connection connection) {
        Actor actor = TenantContext.current().orElse(null);
        try (PreparedStatement s = connection.prepareStatement(
                "select set_config('app.tenant_id', ?, true), set_config('app.user_id', ?, true)")) {
            s.setString(1, actor == null ? "" : Long.toString(actor.tenantId()));
            s.setString(2, actor == null ? "" : Long.toString(actor.userId()));
            s.execute();
        } catch (SQLException e) {
            throw new IllegalStateException("Could not set the tenant on a database connection", e);
        }
    }
}
