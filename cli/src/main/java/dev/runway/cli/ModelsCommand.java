package dev.runway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "models", description = "Lists a project's model versions with their stage, aliases and test "
        + "metrics.")
class ModelsCommand implements Callable<Integer> {

    @Mixin
    Common common;

    @Option(names = {"-p", "--project"}, required = true, paramLabel = "PROJECT", description = "The project's id or "
            + "exact name.")
    String project;

    @Override
    public Integer call() {
        Api api = common.api();
        List<JsonNode> models = api.list(Endpoint.LIST_MODELS, Map.of(), ProjectsCommand.resolve(api, project));
        if (common.json) {
            common.printJson(Api.JSON.createArrayNode().addAll(models));
            return 0;
        }
        Table table = new Table("ID", "VERSION", "STAGE", "ALIASES", "TEMPLATE", "RUN", "TEST METRICS");
        for (JsonNode m : models) {
            table.row(m.path("id").asLong(), "v" + m.path("version").asInt(), m.path("stage").asText(),
                    ProjectsCommand.join(m.path("aliases")), m.path("template").asText(),
                    m.hasNonNull("runId") ? m.get("runId").asLong() : "imported", metrics(m.path("metrics")));
        }
        table.print(common.out(), "No model versions yet: a succeeded training run registers one.");
        return 0;
    }

    private static String metrics(JsonNode metrics) {
        StringBuilder text = new StringBuilder();
        for (Iterator<Map.Entry<String, JsonNode>> it = metrics.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> m = it.next();
            text.append(text.length() == 0 ? "" : " ").append(String.format(Locale.ROOT, "%s=%.4f", m.getKey(),
                    m.getValue().asDouble()));
        }
        return text.toString();
    }
}
