package dev.runway.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The options every command takes ({@code --json}, {@code --config}, {@code --server}) and what they lead to: the
 * configuration, the API, and where the command writes.
 */
final class Common {

    static final String ENV_SERVER = "RUNWAY_URL";
    static final String ENV_KEY = "RUNWAY_KEY";

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(names = "--json", description = "Print the console's JSON answer (for scripts) instead of text.")
    boolean json;

    @Option(names = "--config", paramLabel = "FILE", description = "The configuration file (default: $RUNWAY_CONFIG, "
            + "else $XDG_CONFIG_HOME/runway/config.properties, else ~/.config/runway/config.properties).")
    Path config;

    @Option(names = "--server", paramLabel = "URL", description = "The console, e.g. https://runway.example.com "
            + "(default: $RUNWAY_URL, else the one `runway login` saved).")
    String server;

    Config config() {
        return Config.load(config != null ? config : Config.defaultPath());
    }

    /** The API of the console named by --server, $RUNWAY_URL or the configuration, with $RUNWAY_KEY or the saved key. */
    Api api() {
        Config saved = config();
        String url = firstOf(server, System.getenv(ENV_SERVER), saved.server);
        String key = firstOf(System.getenv(ENV_KEY), saved.key);
        if (url == null || key == null) {
            throw new CliException("Not logged in: run `runway login --server URL` (or set " + ENV_SERVER + " and "
                    + ENV_KEY + ")");
        }
        return new Api(url, key);
    }

    PrintWriter out() {
        return command.commandLine().getOut();
    }

    PrintWriter err() {
        return command.commandLine().getErr();
    }

    /** Prints the answer as JSON with --json, else the text. */
    void print(JsonNode answer, String text) {
        if (json) {
            printJson(answer);
        } else {
            out().println(text);
        }
        out().flush();
    }

    void printJson(JsonNode answer) {
        try {
            out().println(Api.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(answer));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        out().flush();
    }

    static String firstOf(String... values) {
        for (String value : values) {
            if (value != null && !value.isBlank()) {
                return value.strip();
            }
        }
        return null;
    }
}
