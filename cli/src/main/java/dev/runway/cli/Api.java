package dev.runway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The console's API as the client uses it: the key on every request, an {@code Idempotency-Key} on every POST (kept
 * across this call's retries, so a retried POST never does anything twice), retries of dropped connections and of
 * {@code 429} after its {@code Retry-After}, and lists read whole whether the console answers a bare array or pages
 * ({@code {"items": […], "next": "…"}}, followed with {@code cursor}).
 */
final class Api {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String USER_AGENT = "runway-cli/" + Runway.VERSION;

    private static final int ATTEMPTS = 4;
    private static final long MAX_RETRY_AFTER_SECONDS = 60;

    /** One answer: its status, headers and body (JSON when the console sent JSON). */
    record Answer(int status, HttpHeaders headers, JsonNode body) {}

    final URI server;
    final String key;
    private final HttpClient http;

    Api(String server, String key) {
        this.server = URI.create(server.endsWith("/") ? server.substring(0, server.length() - 1) : server);
        this.key = key;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(20))
                .followRedirects(HttpClient.Redirect.NORMAL).build();
    }

    JsonNode get(Endpoint endpoint, Map<String, String> query, Object... params) {
        return send(endpoint, query, HttpRequest.BodyPublishers.noBody(), null, params).body();
    }

    /** A JSON request; the answer's body. */
    JsonNode send(Endpoint endpoint, JsonNode body, Object... params) {
        return send(endpoint, Map.of(), HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8),
                "application/json", params).body();
    }

    /** Every item of a list, following the pages when the console pages it. */
    List<JsonNode> list(Endpoint endpoint, Map<String, String> query, Object... params) {
        List<JsonNode> items = new ArrayList<>();
        Map<String, String> page = new LinkedHashMap<>(query);
        while (true) {
            JsonNode answer = get(endpoint, page, params);
            JsonNode array = answer.isArray() ? answer : answer.path("items");
            array.forEach(items::add);
            String next = answer.path("next").asText(null);
            if (answer.isArray() || next == null || next.isEmpty()) {
                return items;
            }
            page.put("cursor", next);
        }
    }

    /** Any request; an error answer is thrown as an {@link ApiException}. */
    Answer send(Endpoint endpoint, Map<String, String> query, HttpRequest.BodyPublisher body, String contentType,
            Object... params) {
        Answer answer = exchange(endpoint, query, body, contentType, params);
        if (answer.status() >= 400) {
            throw new ApiException(answer.status(), answer.body());
        }
        return answer;
    }

    /** Any request; the answer whatever its status. */
    Answer exchange(Endpoint endpoint, Map<String, String> query, HttpRequest.BodyPublisher body, String contentType,
            Object... params) {
        HttpRequest.Builder request = request(uri(endpoint, query, params)).method(endpoint.method(), body);
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        if (endpoint.method().equals("POST")) {
            request.header("Idempotency-Key", UUID.randomUUID().toString());
        }
        return exchange(request.build());
    }

    HttpRequest.Builder request(URI uri) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(30))
                .header("Accept", "application/json, application/problem+json").header("User-Agent", USER_AGENT);
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        return request;
    }

    private Answer exchange(HttpRequest request) {
        IOException dropped = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 429 && attempt < ATTEMPTS) {
                    pause(retryAfterSeconds(response.headers()) * 1000);
                    continue;
                }
                return new Answer(response.statusCode(), response.headers(), body(response));
            } catch (IOException e) {
                dropped = e;
                if (attempt < ATTEMPTS) {
                    pause(500L << (attempt - 1));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CliException("Interrupted");
            }
        }
        throw new CliException("Cannot reach " + server + ": " + describe(dropped));
    }

    private static long retryAfterSeconds(HttpHeaders headers) {
        try {
            return Math.max(1, Math.min(MAX_RETRY_AFTER_SECONDS,
                    Long.parseLong(headers.firstValue("Retry-After").orElse("1").strip())));
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    private static JsonNode body(HttpResponse<String> response) {
        String text = response.body();
        if (text == null || text.isBlank()) {
            return MissingNode.getInstance();
        }
        if (response.headers().firstValue("Content-Type").orElse("").contains("json")) {
            try {
                return JSON.readTree(text);
            } catch (IOException e) {
                return TextNode.valueOf(text);
            }
        }
        return TextNode.valueOf(text);
    }

    URI uri(Endpoint endpoint, Map<String, String> query, Object... params) {
        StringBuilder path = new StringBuilder();
        String template = endpoint.path();
        int used = 0;
        int at = 0;
        while (true) {
            int open = template.indexOf('{', at);
            if (open < 0) {
                path.append(template, at, template.length());
                break;
            }
            path.append(template, at, open).append(encode(String.valueOf(params[used++])));
            at = template.indexOf('}', open) + 1;
        }
        if (used != params.length) {
            throw new IllegalArgumentException(endpoint + " takes " + used + " parameters, not " + params.length);
        }
        StringBuilder q = new StringBuilder();
        query.forEach((name, value) -> {
            if (value != null) {
                q.append(q.length() == 0 ? '?' : '&').append(encode(name)).append('=').append(encode(value));
            }
        });
        return URI.create(server + path.toString() + q);
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static String describe(Throwable e) {
        if (e == null) {
            return "no answer";
        }
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("Interrupted");
        }
    }
}
