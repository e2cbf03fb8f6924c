package dev.runway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "projects", description = "Lists the projects; `runway projects create NAME` makes one.",
        subcommands = ProjectsCommand.Create.class)
class ProjectsCommand implements Callable<Integer> {

    @Mixin
    Common common;

    @Option(names = "--search", paramLabel = "TEXT", description = "Only projects whose name contains it.")
    String search;

    @Option(names = "--archived", description = "The archived projects instead of the active ones.")
    boolean archived;

    @Override
    public Integer call() {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("search", search);
        query.put("archived", Boolean.toString(archived));
        List<JsonNode> projects = common.api().list(Endpoint.LIST_PROJECTS, query);
        if (common.json) {
            common.printJson(Api.JSON.createArrayNode().addAll(projects));
            return 0;
        }
        Table table = new Table("ID", "NAME", "TAGS", "DESCRIPTION");
        for (JsonNode p : projects) {
            table.row(p.path("id").asLong(), p.path("name").asText(), join(p.path("tags")),
                    p.path("description").asText(""));
        }
        table.print(common.out(), archived ? "No archived projects." : "No projects yet: runway projects create NAME");
        return 0;
    }

    /** A project given by its exact name, or else by id (a project named "2024" is that project, not id 2024). */
    static long resolve(Api api, String project) {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("search", project.strip());
        for (JsonNode p : api.list(Endpoint.LIST_PROJECTS, query)) {
            if (p.path("name").asText().equalsIgnoreCase(project.strip())) {
                return p.path("id").asLong();
            }
        }
        if (project.strip().matches("[0-9]+")) {
            return Long.parseLong(project.strip());
        }
        throw new CliException("No active project is named “" + project.strip() + "” (runway projects lists them)");
    }

    static String join(JsonNode array) {
        StringBuilder text = new StringBuilder();
        array.forEach(item -> text.append(text.length() == 0 ? "" : ", ").append(item.asText()));
        return text.toString();
    }

    @Command(name = "create", description = "Creates a project.")
    static class Create implements Callable<Integer> {

        @Mixin
        Common common;

        @Parameters(paramLabel = "NAME", description = "Its name, unique in the company.")
        String name;

        @Option(names = "--description", paramLabel = "TEXT")
        String description;

        @Option(names = "--tag", paramLabel = "TAG", split = ",", description = "A tag (repeat it, or separate "
                + "tags with commas).")
        List<String> tags;

        @Override
        public Integer call() {
            ObjectNode body = Api.JSON.createObjectNode().put("name", name);
            if (description != null) {
                body.put("description", description);
            }
            if (tags != null) {
                ArrayNode array = body.putArray("tags");
                tags.forEach(array::add);
            }
            JsonNode created = common.api().send(Endpoint.CREATE_PROJECT, body);
            common.print(created, "Created project " + created.path("id").asLong() + " “"
                    + created.path("name").asText() + "”");
            return 0;
        }
    }
}
