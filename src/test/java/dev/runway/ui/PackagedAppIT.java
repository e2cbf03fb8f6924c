package dev.runway.ui;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;

/**
 * {@link PackagedAppTest} against the application packaged with -Pproduction (java -jar target/quarkus-app/...),
 * run by failsafe: ./mvnw verify -Pproduction -DskipTests. Its database and files live in temporary folders.
 */
@QuarkusIntegrationTest
@WithTestResource(PackagedAppFolders.class)
class PackagedAppIT extends PackagedAppTest {

    @Override
    boolean productionBuild() {
        return true;
    }
}
