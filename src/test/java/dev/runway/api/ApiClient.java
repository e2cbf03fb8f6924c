package dev.runway.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.runway.project.ProjectService;
import dev.runway.tenancy.Actor;
import dev.runway.tenancy.Role;
import dev.runway.tenancy.TenantContext;
import dev.runway.testing.TenancyFixture;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

/** The API over HTTP for tests: requests with a key, problem assertions, and every page of a list. */
final class ApiClient {

    private static final String BASE = "http://localhost:8081";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private ApiClient() {}

    record Reply(int status, String contentType, String text, String etag) {
        JsonNode json() {
            try {
                return JSON.readTree(text);
            } catch (IOException e) {
                throw new UncheckedIOException("Not JSON: " + text, e);
            }
        }

        /** The ids of a page's items. */
        List<Long> ids() {
            List<Long> ids = new ArrayList<>();
            json().get("items").forEach(item -> ids.add(item.get("id").asLong()));
            return ids;
        }

        String next() {
            JsonNode next = json().get("next");
            return next == null || next.isNull() ? null : next.asText();
        }
    }

    static String key(ApiKeyService keys, Actor actor, Role role) {
        return TenantContext.runAs(actor, () -> keys.create("key " + TenancyFixture.unique(), role, null)).key();
    }

    /** A new project of the actor's company, made through the service. */
    static long project(ProjectService projects, Actor owner, String name) {
        return TenantContext.runAs(owner, () -> projects.create(new ProjectService.ProjectForm(name, "", "", false))
                .getId());
    }

    static Reply get(String path, String key) {
        return send("GET", path, key, null);
    }

    static Reply post(String path, String key, String json) {
        return send("POST", path, key, json);
    }

    /** Sends {@code json} (if any) as application/json. */
    static Reply send(String method, String path, String key, String json) {
        return send(method, path, key, json, null);
    }

    /** Sends {@code json} (if any) with {@code If-Match: ifMatch} (if any). */
    static Reply send(String method, String path, String key, String json, String ifMatch) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(BASE + path)).method(method,
                json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        if (ifMatch != null) {
            request.header("If-Match", ifMatch);
        }
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response.headers().firstValue("content-type").orElse(""),
                    response.body(), response.headers().firstValue("etag").orElse(null));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The ids on every page of a list, {@code limit} at a time, following {@code next}. */
    static List<Long> allIds(String path, String key, int limit) {
        return allIds(path, key, limit, null);
    }

    /** The ids on the pages from {@code cursor} (null: the first page) to the last. */
    static List<Long> allIds(String path, String key, int limit, String cursor) {
        List<Long> ids = new ArrayList<>();
        do {
            Reply page = get(path + (path.contains("?") ? "&" : "?") + "limit=" + limit
                    + (cursor == null ? "" : "&cursor=" + cursor), key);
            assertThat(page.status()).as(page.text()).isEqualTo(200);
            assertThat(page.json().get("items").size()).isLessThanOrEqualTo(limit);
            ids.addAll(page.ids());
            cursor = page.next();
        } while (cursor != null);
        return ids;
    }

    static void assertProblem(Reply reply, int status, String kind) {
        assertThat(reply.status()).as(reply.text()).isEqualTo(status);
        assertThat(reply.contentType()).startsWith("application/problem+json");
        assertThat(reply.json().get("type").asText()).isEqualTo("urn:runway:problem:" + kind);
        assertThat(reply.json().get("detail").asText()).isNotBlank();
    }

    static void assertField(Reply reply, String field) {
        assertProblem(reply, 400, "bad-input");
        assertThat(reply.json().get("errors").findValuesAsText("field")).as(reply.text()).containsExactly(field);
    }
}
