package dev.runway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "upload", description = "Uploads a CSV as the next version of a dataset (created on its first "
        + "upload). Resumable where the console offers it: run the same command again to go on where it stopped.")
class UploadCommand implements Callable<Integer> {

    @Mixin
    Common common;

    @Parameters(paramLabel = "FILE", description = "The CSV file (UTF-8, a header row).")
    Path file;

    @Option(names = {"-d", "--dataset"}, required = true, paramLabel = "NAME", description = "The dataset's name.")
    String dataset;

    @Option(names = {"-p", "--project"}, required = true, paramLabel = "PROJECT", description = "The project's id or "
            + "exact name.")
    String project;

    @Option(names = "--force", description = "Add the file as a new version even when its bytes are those of one of "
            + "the dataset's versions (by default that version is kept and nothing is sent).")
    boolean force;

    @Override
    public Integer call() throws IOException {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new CliException("Cannot read " + file);
        }
        Api api = common.api();
        long projectId = ProjectsCommand.resolve(api, project);
        if (!force) {
            Optional<JsonNode> same = identicalVersion(api, projectId, sha256(file));
            if (same.isPresent()) {
                JsonNode version = same.get();
                ((ObjectNode) version).put("existing", true);
                common.print(version, file.getFileName() + " is identical to version " + version.path("version").asInt()
                        + " of dataset “" + dataset + "” (dataset version " + version.path("id").asLong()
                        + "): that version is kept and nothing was sent. Use --force to add it as a new version.");
                return 0;
            }
        }
        long size = Files.size(file);
        Path store = common.config().path.toAbsolutePath().resolveSibling("uploads.properties");
        Uploader.Uploaded uploaded = new Uploader(api, store, sent -> {
            if (!common.json && size > Uploader.CHUNK_BYTES) {
                common.err().printf("  %d of %d MB sent%n", sent / (1024 * 1024), size / (1024 * 1024));
                common.err().flush();
            }
        }).upload(file, projectId, dataset, force);
        JsonNode version = uploaded.version();
        long id = version.path("id").asLong();
        common.print(version, "Uploaded " + file.getFileName() + (uploaded.resumable() ? " (resumable)" : "")
                + " as version " + version.path("version").asInt()
                + " of dataset “" + dataset + "” (dataset version " + id + "): " + version.path("rows").asLong()
                + " rows, " + version.path("columns").asInt() + " columns\nNext: runway prepare " + id
                + " --target COLUMN --task CLASSIFICATION");
        return 0;
    }

    /** The dataset's newest version with these bytes, if the project has the dataset and the dataset has them. */
    private Optional<JsonNode> identicalVersion(Api api, long projectId, String sha256) {
        return api.list(Endpoint.LIST_DATASETS, Map.of(), projectId).stream()
                .filter(d -> d.path("name").asText().equals(dataset)).findFirst()
                .flatMap(d -> api.list(Endpoint.LIST_DATASET_VERSIONS, Map.of(), d.path("id").asLong()).stream()
                        .filter(v -> sha256.equalsIgnoreCase(v.path("sha256").asText()))
                        .max(Comparator.comparingInt(v -> v.path("version").asInt())));
    }

    private static String sha256(Path file) throws IOException {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java has SHA-256", e);
        }
    }
}
