package dev.runway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "promote", description = "Moves a model version to its next stage (none → Staging → Production), or "
        + "to --stage. Where Production needs approvals, a request is made and waits for them.")
class PromoteCommand implements Callable<Integer> {

    @Mixin
    Common common;

    @Parameters(paramLabel = "MODEL_VERSION_ID")
    long versionId;

    @Option(names = {"-m", "--comment"}, required = true, paramLabel = "WHY", description = "Why (required; kept in "
            + "the version's history).")
    String comment;

    @Option(names = "--stage", paramLabel = "STAGE", description = "STAGING, PRODUCTION, ARCHIVED or NONE (default: "
            + "the next stage).")
    String stage;

    @Override
    public Integer call() {
        Api api = common.api();
        String target = stage != null ? stage.strip().toUpperCase(Locale.ROOT) : next(api);
        ObjectNode body = Api.JSON.createObjectNode().put("stage", target).put("comment", comment);
        Api.Answer answer = api.send(Endpoint.CHANGE_STAGE, Map.of(),
                HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8), "application/json",
                versionId);
        JsonNode result = answer.body();
        if (answer.status() == 202) {
            common.print(result, "Moving model version " + versionId + " to " + target + " needs approvals: request "
                    + result.path("id").asLong() + " is " + result.path("status").asText() + " (approve it in the "
                    + "console)");
            // Not moved yet: a CI step must not carry on as if the model were in its new stage.
            return Runway.EXIT_PENDING;
        } else {
            common.print(result, "Model version " + versionId + " (v" + result.path("version").asInt() + ") is now "
                    + result.path("stage").asText());
        }
        return 0;
    }

    private String next(Api api) {
        String now = api.get(Endpoint.GET_MODEL, Map.of(), versionId).path("stage").asText();
        return switch (now) {
            case "NONE" -> "STAGING";
            case "STAGING" -> "PRODUCTION";
            default -> throw new CliException("Model version " + versionId + " is " + now + ": name the stage with "
                    + "--stage");
        };
    }
}
