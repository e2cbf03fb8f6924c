package dev.runway.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "login", description = "Checks an API key against the console and saves both in your configuration "
        + "file (readable by you only: mode 600).")
class LoginCommand implements Callable<Integer> {

    @Mixin
    Common common;

    @Option(names = "--key", paramLabel = "KEY", description = "The API key (rw_…, from Settings → API keys). Left "
            + "out, it is asked for without echo, or read from standard input; a key on the command line stays in "
            + "your shell's history.")
    String key;

    @Override
    public Integer call() throws IOException {
        Config config = common.config();
        String server = Common.firstOf(common.server, System.getenv(Common.ENV_SERVER), config.server);
        if (server == null) {
            throw new CliException("Name the console: runway login --server https://runway.example.com");
        }
        String given = Common.firstOf(key, readKey());
        if (given == null) {
            throw new CliException("Give the API key (from Settings → API keys in the console)");
        }
        // Any list the key may read proves it; a 403 still means the key itself is good.
        Api.Answer check = new Api(server, given).exchange(Endpoint.LIST_PROJECTS, Map.of("limit", "1"),
                HttpRequest.BodyPublishers.noBody(), null);
        if (check.status() >= 400 && check.status() != 403) {
            throw new ApiException(check.status(), check.body());
        }
        config.server = server;
        config.key = given;
        config.save();
        String prefix = given.length() > 15 ? given.substring(0, 15) : given;
        ObjectNode json = Api.JSON.createObjectNode().put("server", server).put("keyPrefix", prefix)
                .put("config", config.path.toAbsolutePath().toString());
        common.print(json, "Logged in to " + server + " with key " + prefix + "…, saved in " + config.path
                + " (readable by you only)");
        return 0;
    }

    private String readKey() throws IOException {
        if (key != null) {
            return null;
        }
        Console console = System.console();
        if (console != null) {
            char[] typed = console.readPassword("API key (from Settings → API keys): ");
            return typed == null ? null : new String(typed);
        }
        return new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
    }
}
