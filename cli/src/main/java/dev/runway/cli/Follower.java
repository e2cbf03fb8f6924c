package dev.runway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;

/**
 * Follows a run until it ends: the progress line redrawn in place on a terminal, or a new line at each new epoch or
 * status where the output is a file or a CI log. Ends with a summary; the exit code says whether the run succeeded.
 */
final class Follower {

    private final Api api;
    private final Common common;
    private final Duration interval;

    Follower(Api api, Common common, Duration interval) {
        this.api = api;
        this.common = common;
        this.interval = interval;
    }

    /** The pause between looks for --interval SECONDS (at least a tenth of a second). */
    static Duration every(double seconds) {
        return Duration.ofMillis(Math.max(100, Math.round(seconds * 1000)));
    }

    int follow(long runId) {
        boolean terminal = System.console() != null;
        Progress progress = new Progress();
        PrintWriter err = common.err();
        String shown = null;
        int drawn = 0;
        JsonNode run;
        while (true) {
            run = api.get(Endpoint.GET_RUN, Map.of(), runId);
            if (!common.json) {
                String line = progress.line(run, System.currentTimeMillis());
                if (terminal) {
                    err.print("\r" + line + " ".repeat(Math.max(0, drawn - line.length())));
                    drawn = line.length();
                } else {
                    // One line per change of status or epoch, not per look: a CI log stays readable.
                    String step = run.path("status").asText() + "/" + run.path("epoch").asInt();
                    if (!step.equals(shown)) {
                        err.println(line);
                        shown = step;
                    }
                }
                err.flush();
            }
            if (run.path("finished").asBoolean()) {
                break;
            }
            try {
                Thread.sleep(interval.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CliException("Interrupted; the run goes on (runway follow " + runId + ")");
            }
        }
        if (terminal && !common.json) {
            err.println();
        }
        boolean succeeded = run.path("status").asText().equals("SUCCEEDED");
        common.print(run, summary(run));
        if (!succeeded) {
            throw new CliException("Run " + runId + " ended " + run.path("status").asText()
                    + (run.hasNonNull("error") ? ": " + run.get("error").asText() : ""), Runway.EXIT_RUN_FAILED);
        }
        return 0;
    }

    static String summary(JsonNode run) {
        StringBuilder text = new StringBuilder("Run " + run.path("id").asLong() + " " + run.path("status").asText());
        if (run.hasNonNull("modelVersionId")) {
            text.append(": model version ").append(run.get("modelVersionId").asLong());
        }
        JsonNode results = run.path("results");
        if (results.size() > 0) {
            text.append(" (test");
            int shown = 0;
            for (Iterator<Map.Entry<String, JsonNode>> it = results.fields(); it.hasNext() && shown < 4; shown++) {
                Map.Entry<String, JsonNode> metric = it.next();
                text.append(String.format(Locale.ROOT, " %s %.4f", metric.getKey(), metric.getValue().asDouble()));
            }
            text.append(")");
        }
        if (run.hasNonNull("cost")) {
            text.append("; cost ").append(run.get("cost").path("amount").asText()).append(' ')
                    .append(run.get("cost").path("currency").asText());
        }
        return text.toString();
    }
}
