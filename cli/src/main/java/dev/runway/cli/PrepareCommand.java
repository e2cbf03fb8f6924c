package dev.runway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "prepare", description = "Saves a dataset version's preparation (target, features, task, split, "
        + "missing values, scaling), so that it can train. What is left out takes the console's defaults.")
class PrepareCommand implements Callable<Integer> {

    @Mixin
    Common common;

    @Parameters(paramLabel = "VERSION_ID", description = "The dataset version (`runway upload` names it).")
    long versionId;

    @Option(names = "--target", required = true, paramLabel = "COLUMN", description = "The column to predict.")
    String target;

    @Option(names = "--task", required = true, paramLabel = "TASK",
            description = "CLASSIFICATION, REGRESSION or TEXT_CLASSIFICATION.")
    String task;

    @Option(names = "--features", split = ",", paramLabel = "COLUMN", description = "The input columns, separated "
            + "by commas (default: every column but the target).")
    List<String> features;

    @Option(names = "--split", paramLabel = "TRAIN,VALIDATION,TEST", split = ",", arity = "1",
            description = "The shares of rows for training, validation and test, e.g. 0.7,0.1,0.2.")
    List<Double> split;

    @Option(names = "--seed", description = "The seed of the split.")
    Integer seed;

    @Option(names = "--missing", paramLabel = "HOW", description = "IMPUTE or DROP_ROWS.")
    String missing;

    @Option(names = "--standardize", negatable = true, description = "Scale numeric features (default: on, except "
            + "for text).")
    Boolean standardize;

    @Override
    public Integer call() {
        Api api = common.api();
        ObjectNode body = Api.JSON.createObjectNode().put("target", target)
                .put("task", task.strip().toUpperCase(Locale.ROOT));
        ArrayNode columns = body.putArray("features");
        (features != null ? features : allBut(api, target)).forEach(columns::add);
        if (split != null) {
            if (split.size() != 3) {
                throw new CliException("Give three shares to --split: training, validation and test, e.g. "
                        + "0.7,0.1,0.2");
            }
            body.put("trainRatio", split.get(0)).put("validationRatio", split.get(1)).put("testRatio", split.get(2));
        }
        if (seed != null) {
            body.put("seed", seed);
        }
        if (missing != null) {
            body.put("missingValues", missing.strip().toUpperCase(Locale.ROOT));
        }
        if (standardize != null) {
            body.put("standardize", standardize);
        }
        JsonNode saved = api.send(Endpoint.SAVE_PREPARATION, body, versionId);
        common.print(saved, "Saved the preparation of dataset version " + versionId + ": " + saved.path("task")
                .asText() + " of “" + saved.path("target").asText() + "” from " + saved.path("features").size()
                + " features, split " + saved.path("trainRatio").asText() + "/" + saved.path("validationRatio")
                .asText() + "/" + saved.path("testRatio").asText() + "\nNext: runway run --dataset-version "
                + versionId + " --template MLP --follow");
        return 0;
    }

    private List<String> allBut(Api api, String target) {
        List<String> names = new ArrayList<>();
        for (JsonNode column : api.get(Endpoint.DATASET_VERSION, Map.of(), versionId).path("profile")
                .path("columns")) {
            String name = column.path("name").asText();
            if (!name.equals(target)) {
                names.add(name);
            }
        }
        return names;
    }
}
