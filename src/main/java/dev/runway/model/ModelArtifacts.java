package dev.runway.model;

import dev.runway.base.Json;
import dev.runway.tenancy.Access;
import dev.runway.tenancy.Permission;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** A version's model files with their metadata as one zip, so that a serving system can pull what is in Production. */
@ApplicationScoped
public class ModelArtifacts {

    public static final String METADATA = "runway-model.json";

    /** What goes into the zip: the metadata is read in a transaction; the files are streamed after it. */
    public record Artifact(String fileName, Map<String, Object> metadata, Path dir) {

        /** Writes {@code model/…} (the stored files) and {@value #METADATA}; nothing else of the server. */
        public void write(OutputStream out) throws IOException {
            try (ZipOutputStream zip = new ZipOutputStream(out)) {
                zip.putNextEntry(new ZipEntry(METADATA));
                zip.write(Json.write(metadata).getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
                if (dir == null) {
                    return;
                }
                List<Path> files;
                try (Stream<Path> walk = Files.walk(dir)) {
                    files = walk.filter(Files::isRegularFile).sorted().toList();
                }
                for (Path file : files) {
                    zip.putNextEntry(new ZipEntry("model/" + dir.relativize(file).toString().replace('\\', '/')));
                    Files.copy(file, zip);
                    zip.closeEntry();
                }
            }
        }
    }

    @Inject
    ModelService models;

    @Inject
    ModelLifecycle lifecycle;

    @Inject
    Access access;

    @ConfigProperty(name = "runway.storage.root")
    Path storageRoot;

    @Transactional
    public Artifact artifact(long versionId) {
        access.require(Permission.READ);
        ModelVersion version = models.get(versionId);
        Map<String, Object> lineage = new LinkedHashMap<>();
        lineage.put("runId", version.getRunId());
        lineage.put("datasetVersionId", version.getDatasetVersionId());
        lineage.put("template", version.getTemplate());
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("id", version.getId());
        metadata.put("projectId", version.getProjectId());
        metadata.put("version", version.getVersion());
        metadata.put("stage", version.getStage().name());
        metadata.put("aliases", lifecycle.aliases(versionId));
        metadata.put("metrics", ModelService.metrics(version));
        metadata.put("lineage", lineage);
        metadata.put("createdAt", version.getCreatedAt().toString());
        Path dir = Path.of(version.getArtifactDir());
        Path path = dir.isAbsolute() ? dir : storageRoot.resolve(dir);
        return new Artifact("model-" + version.getProjectId() + "-v" + version.getVersion() + ".zip", metadata,
                Files.isDirectory(path) ? path : null);
    }
}
