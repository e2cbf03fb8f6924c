package dev.runway.testing;

import dev.runway.EmbeddedDatabase;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.nio.file.Files;
import java.util.Map;

/**
 * The real PostgreSQL every test runs against: an embedded one in a fresh folder, or the server named by
 * {@code QUARKUS_DATASOURCE_JDBC_URL} (with the roles of deploy/postgres-roles.sql) when that is set.
 */
@QuarkusTestResource(value = TestDatabase.class, restrictToAnnotatedClass = false)
public class TestDatabase implements QuarkusTestResourceLifecycleManager {

    private EmbeddedDatabase database;

    @Override
    public Map<String, String> start() {
        String external = System.getenv("QUARKUS_DATASOURCE_JDBC_URL");
        if (external != null && !external.isBlank()) {
            return Map.of();
        }
        try {
            database = EmbeddedDatabase.start(Files.createTempDirectory("runway-test-pg"), true, true);
            return database.quarkusSettings();
        } catch (Exception e) {
            throw new IllegalStateException("Could not start the embedded PostgreSQL for tests", e);
        }
    }

    @Override
    public void stop() {
        if (database != null) {
            try {
                database.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
