package dev.runway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** An error answer of the API: its RFC 9457 problem, said as the console said it, with the fields it named. */
final class ApiException extends CliException {

    final int status;
    final JsonNode problem;

    ApiException(int status, JsonNode problem) {
        super(message(status, problem));
        this.status = status;
        this.problem = problem;
    }

    private static String message(int status, JsonNode problem) {
        String detail = problem.path("detail").asText(problem.path("title").asText("HTTP " + status));
        List<String> fields = new ArrayList<>();
        for (JsonNode error : problem.path("errors")) {
            if (error.hasNonNull("field")) {
                fields.add(error.get("field").asText());
            }
        }
        return detail + (fields.isEmpty() ? "" : " (" + String.join(", ", fields) + ")") + " [" + status + "]";
    }
}
