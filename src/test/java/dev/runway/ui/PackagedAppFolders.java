package dev.runway.ui;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** The packaged application under test keeps its files in a temporary folder, never in the checkout's data/. */
public class PackagedAppFolders implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        try {
            Path folder = Files.createTempDirectory("runway-it-");
            return Map.of("runway.storage.root", folder.resolve("storage").toString(),
                    "runway.data.dir", folder.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {}
}
