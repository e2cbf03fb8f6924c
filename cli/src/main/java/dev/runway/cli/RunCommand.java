package dev.runway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "run", description = "Starts a training run on a prepared dataset version; with --follow, shows its "
        + "progress until it ends and exits with 3 unless it succeeded.")
class RunCommand implements Callable<Integer> {

    @Mixin
    Common common;

    @Option(names = "--dataset-version", required = true, paramLabel = "VERSION_ID",
            description = "The prepared dataset version to train on.")
    long datasetVersion;

    @Option(names = {"-t", "--template"}, required = true, paramLabel = "TEMPLATE",
            description = "LINEAR_REGRESSION, LOGISTIC_REGRESSION, MLP, CNN or TRANSFORMER.")
    String template;

    @Option(names = "--set", paramLabel = "NAME=VALUE", description = "A hyperparameter over the template's defaults "
            + "(repeat it): epochs=20, learningRate=0.01, hiddenLayers=[64,32], optimizer=adam.")
    Map<String, String> hyperparameters;

    @Option(names = "--device", description = "auto (default), cpu or gpu.")
    String device;

    @Option(names = "--priority", description = "0 (lowest) to 100; default 50.")
    Integer priority;

    @Option(names = "--pool", description = "The worker pool (default gpu for --device gpu, else cpu).")
    String pool;

    @Option(names = {"-f", "--follow"}, description = "Follow the run until it ends.")
    boolean follow;

    @Option(names = "--interval", paramLabel = "SECONDS", defaultValue = "2",
            description = "Seconds between looks at the run while following (default ${DEFAULT-VALUE}).")
    double interval;

    @Override
    public Integer call() throws IOException {
        ObjectNode body = Api.JSON.createObjectNode().put("datasetVersionId", datasetVersion)
                .put("template", template.strip().toUpperCase(Locale.ROOT));
        ObjectNode settings = body.putObject("hyperparameters");
        if (hyperparameters != null) {
            for (Map.Entry<String, String> h : hyperparameters.entrySet()) {
                settings.set(h.getKey().strip(), value(h.getValue()));
            }
        }
        if (device != null) {
            body.put("device", device);
        }
        if (priority != null) {
            body.put("priority", priority);
        }
        if (pool != null) {
            body.put("pool", pool);
        }
        Api api = common.api();
        JsonNode run = api.send(Endpoint.START_RUN, body);
        long id = run.path("id").asLong();
        if (!follow) {
            common.print(run, "Started run " + id + " (" + run.path("template").asText() + ", "
                    + run.path("totalEpochs").asInt() + " epochs): " + run.path("status").asText()
                    + "\nFollow it: runway follow " + id);
            return 0;
        }
        if (!common.json) {
            common.err().println("Started run " + id + "; following it (Ctrl-C stops following, not the run)");
        }
        return new Follower(api, common, Follower.every(interval)).follow(id);
    }

    /** A number, list or true/false as JSON; anything else as text (adam, relu). */
    static JsonNode value(String text) throws IOException {
        try {
            JsonNode parsed = Api.JSON.readTree(text);
            if (parsed != null && !parsed.isMissingNode()) {
                return parsed;
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException notJson) {
            // Plain text, e.g. adam.
        }
        return Api.JSON.getNodeFactory().textNode(text);
    }
}
