package dev.runway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
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

    @Override
    public Integer call() throws IOException {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new CliException("Cannot read " + file);
        }
        Api api = common.api();
        long projectId = ProjectsCommand.resolve(api, project);
        long size = Files.size(file);
        Path store = common.config().path.toAbsolutePath().resolveSibling("uploads.properties");
        Uploader.Uploaded uploaded = new Uploader(api, store, sent -> {
            if (!common.json && size > Uploader.CHUNK_BYTES) {
                common.err().printf("  %d of %d MB sent%n", sent / (1024 * 1024), size / (1024 * 1024));
                common.err().flush();
            }
        }).upload(file, projectId, dataset);
        JsonNode version = uploaded.version();
        long id = version.path("id").asLong();
        common.print(version, "Uploaded " + file.getFileName() + (uploaded.resumable() ? " (resumable)" : "")
                + " as version " + version.path("version").asInt()
                + " of dataset “" + dataset + "” (dataset version " + id + "): " + version.path("rows").asLong()
                + " rows, " + version.path("columns").asInt() + " columns\nNext: runway prepare " + id
                + " --target COLUMN --task CLASSIFICATION");
        return 0;
    }
}
