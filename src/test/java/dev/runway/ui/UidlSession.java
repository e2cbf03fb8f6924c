package dev.runway.ui;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One browser session spoken in Vaadin Flow's own HTTP protocol, as its client does it (recorded from Chromium on this
 * console): the bootstrap page (the session cookie), {@code ?v-r=init} (the UI id and the CSRF token), then UIDL POSTs
 * ({@code ?v-r=uidl}: the CSRF token, the last server sync id, the client message id) carrying RPC events such as
 * {@code ui-navigate} or the login form's {@code login}. No push connection: changes the server made meanwhile (live
 * updates) come back with the next UIDL request, e.g. an empty poll. A full page load first sends the UNLOAD beacon
 * for the UI it leaves, as the browser does. Keeps only what the protocol needs (a few
 * strings and ints), so that the driver adds next to nothing to the heap it measures in the same JVM.
 */
final class UidlSession {

    /** One HTTP client for all sessions: its connection pool is shared, cookies are kept per session here. */
    static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(10)).version(HttpClient.Version.HTTP_1_1).build();

    private static final Pattern COOKIE = Pattern.compile("JSESSIONID=([^;]+)");
    private static final Pattern UI_ID = Pattern.compile("\"v-uiId\":(\\d+)");
    private static final Pattern CSRF = Pattern.compile("\"Vaadin-Security-Key\":\"([^\"]+)\"");
    private static final Pattern SYNC_ID = Pattern.compile("\"syncId\":(\\d+)");
    private static final Pattern CLIENT_ID = Pattern.compile("\"clientId\":(\\d+)");
    private static final Pattern THROTTLED = Pattern.compile("Too many attempts\\. Try again in (\\d+) s");
    private static final Pattern MESSAGE = Pattern.compile("\"message\":\"([^\"]*)\"");
    private static final Pattern LOGIN_FORM = Pattern.compile(
            "\"node\":(\\d+),\"type\":\"put\",\"key\":\"tag\",\"feat\":0,\"value\":\"vaadin-login-form\"");

    /** What one UIDL request took, as this client saw it (send to last byte), and what came back. */
    record Reply(double millis, int bytes, boolean changes) {}

    private final String base;
    private String cookie;
    private String csrf;
    private int uiId;
    private int syncId;
    private int clientId;

    UidlSession(String base) {
        this.base = base;
    }

    /**
     * Signs in through the login page's form, then opens the console's start page as a new UI (as the browser does).
     * Every session here comes from 127.0.0.1, so the sign-in throttle (per client address) may ask for a wait: this
     * waits as told and tries again. Returns how many waits it took.
     */
    int signIn(String email, String password) throws IOException, InterruptedException {
        for (int waits = 0; ; waits++) {
            String login = open("login");
            Matcher form = LOGIN_FORM.matcher(login);
            if (!form.find()) {
                throw new IllegalStateException("no login form on the login page");
            }
            String data = "{\"event.detail.username\":" + quote(email) + ",\"event.detail.password\":"
                    + quote(password) + "}";
            StringBuilder answer = new StringBuilder();
            uidl("{\"type\":\"event\",\"node\":" + form.group(1) + ",\"event\":\"login\",\"data\":" + data + "}",
                    answer);
            Matcher throttled = THROTTLED.matcher(answer);
            if (throttled.find() && waits < 20) {
                Thread.sleep(Long.parseLong(throttled.group(1)) * 1000 + 100);
                continue;
            }
            String home = open("");
            if (!home.contains("page-header")) {
                Matcher message = MESSAGE.matcher(answer);
                throw new IllegalStateException("not signed in: " + (message.find() ? message.group(1) : "no message"));
            }
            return waits;
        }
    }

    /** A full page load of {@code location}: the bootstrap page, a new UI, its first navigation. Returns the UIDL. */
    String open(String location) throws IOException, InterruptedException {
        if (csrf != null) {
            // The page being left says goodbye, as Flow's client does on pagehide (a beacon): its UI is closed.
            HttpRequest unload = request("?v-r=uidl&v-uiId=" + uiId).header("Content-Type", "text/plain;charset=UTF-8")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"csrfToken\":\"" + csrf + "\",\"rpc\":[],\"UNLOAD\":true}"))
                    .build();
            HTTP.send(unload, HttpResponse.BodyHandlers.discarding());
        }
        get(location);
        String init = get("?v-r=init&location=" + URLEncoder.encode(location, StandardCharsets.UTF_8) + "&query=");
        uiId = Integer.parseInt(find(UI_ID, init, "v-uiId"));
        csrf = find(CSRF, init, "Vaadin-Security-Key");
        Matcher sync = SYNC_ID.matcher(init);
        syncId = sync.find() ? Integer.parseInt(sync.group(1)) : 0;
        clientId = 0;
        StringBuilder body = new StringBuilder();
        uidl(navigateEvent("/" + location, ""), body);
        return body.toString();
    }

    /**
     * An in-app navigation (a router link or the side navigation): one UIDL round trip, timed. Then, untimed, the
     * follow-up message a browser sends once it has applied the changes (its components' property syncs): without it
     * the UI would keep the whole navigation response for a resend ({@code UIInternals.lastRequestResponse}, 20–60 KB),
     * which a browser's UI does not.
     */
    Reply navigate(String route) throws IOException, InterruptedException {
        Reply reply = uidl(navigateEvent(route, "client"), null);
        uidl(null, null);
        return reply;
    }

    /** An empty UIDL request: brings back what the server changed meanwhile (live updates, without push). */
    Reply poll() throws IOException, InterruptedException {
        return uidl(null, null);
    }

    private static String navigateEvent(String route, String trigger) {
        return "{\"type\":\"event\",\"node\":1,\"event\":\"ui-navigate\",\"data\":{\"route\":" + quote(route)
                + ",\"query\":\"\",\"appShellTitle\":\"\",\"historyState\":{\"idx\":0},\"trigger\":\"" + trigger + "\"}}";
    }

    private Reply uidl(String rpc, StringBuilder into) throws IOException, InterruptedException {
        String json = "{\"csrfToken\":\"" + csrf + "\",\"rpc\":[" + (rpc == null ? "" : rpc) + "],\"syncId\":" + syncId
                + ",\"clientId\":" + clientId + "}";
        HttpRequest request = request("?v-r=uidl&v-uiId=" + uiId)
                .header("Content-Type", "application/json; charset=UTF-8")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build();
        long t0 = System.nanoTime();
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        double millis = (System.nanoTime() - t0) / 1e6;
        keepCookie(response);
        String body = response.body();
        if (response.statusCode() != 200 || !body.startsWith("for(;;);") || body.contains("\"sessionExpired\"")
                || body.contains("\"appError\"")) {
            throw new IllegalStateException("UIDL request failed: HTTP " + response.statusCode() + ": "
                    + body.substring(0, Math.min(300, body.length())));
        }
        syncId = Integer.parseInt(find(SYNC_ID, body, "syncId"));
        clientId = Integer.parseInt(find(CLIENT_ID, body, "clientId"));
        if (into != null) {
            into.append(body);
        }
        return new Reply(millis, body.length(), body.contains("\"changes\""));
    }

    private String get(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString());
        keepCookie(response);
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET " + path + ": HTTP " + response.statusCode());
        }
        return response.body();
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60));
        if (cookie != null) {
            builder.header("Cookie", "JSESSIONID=" + cookie);
        }
        return builder;
    }

    private void keepCookie(HttpResponse<?> response) {
        for (String header : response.headers().allValues("set-cookie")) {
            Matcher m = COOKIE.matcher(header);
            if (m.find()) {
                cookie = m.group(1);
            }
        }
    }

    private static String find(Pattern pattern, String text, String what) {
        Matcher m = pattern.matcher(text);
        if (!m.find()) {
            throw new IllegalStateException("no " + what + " in " + text.substring(0, Math.min(300, text.length())));
        }
        return m.group(1);
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
