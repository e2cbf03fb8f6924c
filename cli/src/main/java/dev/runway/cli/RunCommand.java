package dev.runway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
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
            description = "AUTO (Auto picks the model and runs a small search), LINEAR_REGRESSION, "
                    + "LOGISTIC_REGRESSION, MLP, CNN or TRANSFORMER.")
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

    @Option(names = "--time-limit", paramLabel = "MINUTES", description = "AUTO: the search's time limit (1 to "
            + "1440; default: twice its estimate, at least 5).")
    Integer timeLimitMinutes;

    @Option(names = "--budget", paramLabel = "AMOUNT", description = "AUTO: the most its trials may cost, in the "
            + "company's currency (default: its estimate, rounded up).")
    java.math.BigDecimal budget;

    @Option(names = {"-f", "--follow"}, description = "Follow the run until it ends.")
    boolean follow;

    @Option(names = "--interval", paramLabel = "SECONDS", defaultValue = "2",
            description = "Seconds between looks at the run while following (default ${DEFAULT-VALUE}).")
    double interval;

    @Override
    public Integer call() throws IOException {
        ObjectNode body = Api.JSON.createObjectNode().put("datasetVersionId", datasetVersion)
                .put("template", template.strip().toUpperCase(Locale.ROOT));
        if (body.path("template").asText().equals("AUTO")) {
            return auto(body);
        }
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

    /** Auto: the answer is its search (a sweep), followed until it ends; it succeeded when it registered a model. */
    private int auto(ObjectNode body) {
        if (hyperparameters != null || device != null || priority != null || pool != null) {
            throw new CliException("AUTO chooses the hyperparameters, device, priority and pool itself: give only "
                    + "--time-limit and --budget, or choose a template");
        }
        if (timeLimitMinutes != null) {
            body.put("timeLimitMinutes", timeLimitMinutes);
        }
        if (budget != null) {
            body.putObject("budget").put("amount", budget);
        }
        Api api = common.api();
        JsonNode sweep = api.send(Endpoint.START_RUN, body);
        long id = sweep.path("id").asLong();
        JsonNode auto = sweep.path("auto");
        String started = "Started Auto " + id + ": " + auto.path("family").asText() + " (" + auto.path("why").asText()
                + "), " + sweep.path("trials").size() + " trials";
        if (!follow) {
            common.print(sweep, started);
            return 0;
        }
        if (!common.json) {
            common.err().println(started + "; following it (Ctrl-C stops following, not the search)");
        }
        String shown = null;
        while (sweep.path("status").asText().equals("RUNNING")) {
            if (!common.json) {
                long ended = 0;
                for (JsonNode trial : sweep.path("trials")) {
                    ended += Set.of("PENDING", "RUNNING").contains(trial.path("status").asText()) ? 0 : 1;
                }
                String line = "Auto " + id + ": " + ended + " of " + sweep.path("trials").size() + " trials ended"
                        + (sweep.hasNonNull("bestTrial") ? ", best so far trial " + sweep.get("bestTrial").asInt() : "");
                if (!line.equals(shown)) {
                    common.err().println(line);
                    common.err().flush();
                    shown = line;
                }
            }
            try {
                Thread.sleep(Follower.every(interval).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CliException("Interrupted; the search goes on");
            }
            sweep = api.get(Endpoint.GET_SWEEP, Map.of(), id);
        }
        // The search's end commits before its best model is registered (by the node that ended it): a look in between
        // sees a best trial and no model yet, so give the registration a moment before calling the search a failure.
        for (int look = 0; look < 50 && sweep.hasNonNull("bestTrial")
                && sweep.path("auto").path("modelVersionId").isNull(); look++) {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CliException("Interrupted; the search goes on");
            }
            sweep = api.get(Endpoint.GET_SWEEP, Map.of(), id);
        }
        JsonNode model = sweep.path("auto").path("modelVersionId");
        String summary = "Auto " + id + " " + sweep.path("status").asText()
                + (model.isNull() || model.isMissingNode() ? ": no model registered"
                        : ": model version " + model.asLong() + " (best trial " + sweep.path("bestTrial").asInt() + ")");
        common.print(sweep, summary);
        if (model.isNull() || model.isMissingNode()) {
            throw new CliException(summary, Runway.EXIT_RUN_FAILED);
        }
        return 0;
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
