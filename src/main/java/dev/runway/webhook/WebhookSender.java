package dev.runway.webhook;

import dev.runway.base.Text;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/**
 * Sends one request: POST with short timeouts, redirects never followed (a 3xx is a failure, so a receiver cannot
 * bounce Runway to an address the checks refused), and at most 1 KB of the answer read, as sanitised text.
 */
@ApplicationScoped
public class WebhookSender {

    /** What came back: a status (null when no answer came), an error for people, the time taken, the answer's start. */
    record Outcome(Integer status, String error, int durationMs, String snippet) {

        boolean delivered() {
            return status != null && status >= 200 && status < 300;
        }
    }

    @Inject
    WebhookSettings settings;

    private HttpClient client;

    @PostConstruct
    void init() {
        client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(settings.connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    Outcome send(URI uri, Map<String, String> headers, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(settings.requestTimeout)
                .header("Content-Type", "application/json; charset=utf-8")
                .header("User-Agent", "Runway-Webhooks/1")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        headers.forEach(request::header);
        long start = System.nanoTime();
        CompletableFuture<HttpResponse<byte[]>> future = client.sendAsync(request.build(),
                info -> new FirstBytes(WebhookAttempt.SNIPPET_MAX));
        try {
            HttpResponse<byte[]> response = future.get(settings.requestTimeout.toMillis(), TimeUnit.MILLISECONDS);
            int status = response.statusCode();
            String error = null;
            if (status >= 300 && status < 400) {
                String location = response.headers().firstValue("Location").orElse("?");
                error = "Redirect (HTTP " + status + ") to "
                        + (location.length() > 200 ? location.substring(0, 199) + "…" : location)
                        + " not followed: give the endpoint's final URL";
            } else if (status < 200 || status >= 300) {
                error = "HTTP " + status;
            }
            return new Outcome(status, error, millisSince(start), snippet(response.body()));
        } catch (TimeoutException e) {
            future.cancel(true);
            return new Outcome(null, "No answer within " + settings.requestTimeout.toSeconds() + " s",
                    millisSince(start), null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            future.cancel(true);
            return new Outcome(null, "Interrupted while sending (the node is stopping)", millisSince(start), null);
        } catch (ExecutionException e) {
            return new Outcome(null, describe(e.getCause()), millisSince(start), null);
        }
    }

    private String describe(Throwable cause) {
        if (cause instanceof HttpConnectTimeoutException) {
            return "Could not connect within " + settings.connectTimeout.toSeconds() + " s";
        }
        if (cause instanceof HttpTimeoutException) {
            return "No answer within " + settings.requestTimeout.toSeconds() + " s";
        }
        if (cause instanceof ConnectException) {
            return "Connection refused or unreachable";
        }
        if (cause instanceof SSLException) {
            return "TLS failed: " + Text.withoutFilePaths(String.valueOf(cause.getMessage()));
        }
        String message = cause == null ? null : cause.getMessage();
        return (cause == null ? "Error" : cause.getClass().getSimpleName())
                + (message == null ? "" : ": " + Text.withoutFilePaths(message));
    }

    private static int millisSince(long start) {
        return (int) Math.min(Integer.MAX_VALUE, (System.nanoTime() - start) / 1_000_000);
    }

    /** The answer's first bytes as text a page can show: malformed UTF-8 replaced, control characters blanked. */
    static String snippet(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            return null;
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            return null;
        }
        StringBuilder clean = new StringBuilder(text.length());
        text.codePoints().forEach(c -> {
            boolean control = (c < 0x20 && c != '\n' && c != '\t') || (c >= 0x7f && c < 0xa0)
                    || c == 0x2028 || c == 0x2029 || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
            clean.appendCodePoint(control ? ' ' : c);
        });
        String result = clean.toString().strip();
        if (result.length() > WebhookAttempt.SNIPPET_MAX) {
            result = result.substring(0, WebhookAttempt.SNIPPET_MAX);
        }
        return result.isEmpty() ? null : result;
    }

    /** Collects up to {@code max} bytes of the body, then stops reading: a huge or endless answer costs nothing. */
    private static final class FirstBytes implements HttpResponse.BodySubscriber<byte[]> {

        private final int max;
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final CompletableFuture<byte[]> result = new CompletableFuture<>();
        private Flow.Subscription subscription;

        FirstBytes(int max) {
            this.max = max;
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            for (ByteBuffer item : items) {
                int room = max - bytes.size();
                int take = Math.min(room, item.remaining());
                byte[] chunk = new byte[take];
                item.get(chunk);
                bytes.write(chunk, 0, take);
            }
            if (bytes.size() >= max && !result.isDone()) {
                result.complete(bytes.toByteArray());
                subscription.cancel();
            }
        }

        @Override
        public void onError(Throwable throwable) {
            if (!result.isDone()) {
                result.complete(bytes.toByteArray());
            }
        }

        @Override
        public void onComplete() {
            result.complete(bytes.toByteArray());
        }
    }
}
