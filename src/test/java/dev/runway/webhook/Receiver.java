package dev.runway.webhook;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntSupplier;

/** A local HTTP receiver on a free loopback port: answers each path with the statuses it is told, records requests. */
final class Receiver implements AutoCloseable {

    record Request(String path, Map<String, List<String>> headers, String body) {

        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }
    }

    private final HttpServer server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Map<String, ConcurrentLinkedQueue<Integer>> planned = new ConcurrentHashMap<>();

    Receiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String body;
            try (InputStream in = exchange.getRequestBody()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            String path = exchange.getRequestURI().getPath();
            requests.add(new Request(path, Map.copyOf(exchange.getRequestHeaders()), body));
            Integer status = planned.getOrDefault(path, new ConcurrentLinkedQueue<>()).poll();
            int code = status == null ? 200 : status;
            if (code >= 300 && code < 400) {
                exchange.getResponseHeaders().add("Location", url("/target"));
            }
            byte[] answer = ("answer " + code + " \u0007\u001b[31m" + "x".repeat(3000)).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(code, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
    }

    /** The next answers at {@code path}, in order; 200 once they run out. */
    Receiver answer(String path, Integer... statuses) {
        planned.computeIfAbsent(path, p -> new ConcurrentLinkedQueue<>()).addAll(List.of(statuses));
        return this;
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    int port() {
        return server.getAddress().getPort();
    }

    List<Request> requests(String path) {
        return requests.stream().filter(r -> r.path().equals(path)).toList();
    }

    /** Waits until {@code count} requests reached {@code path}, or fails after {@code within}. */
    List<Request> await(String path, int count, Duration within) throws InterruptedException {
        return await(() -> requests(path).size(), count, within) ? requests(path) : failWith(path, count);
    }

    static boolean await(IntSupplier value, int atLeast, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            if (value.getAsInt() >= atLeast) {
                return true;
            }
            Thread.sleep(20);
        }
        return value.getAsInt() >= atLeast;
    }

    private List<Request> failWith(String path, int count) {
        throw new AssertionError("expected " + count + " request(s) at " + path + ", got " + requests(path).size());
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
