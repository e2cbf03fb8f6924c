package dev.runway.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real SMTP server on a free loopback port, for tests: it speaks enough SMTP (EHLO, MAIL, RCPT, DATA, QUIT) for
 * Jakarta Mail to hand it mails, and keeps each one as received.
 */
public final class SmtpSink implements AutoCloseable {

    /** One received mail: its envelope recipients and its raw content (headers and body). */
    public record Received(List<String> recipients, String content) {}

    private final ServerSocket server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Thread thread;

    public SmtpSink() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        thread = new Thread(this::serve, "smtp-sink");
        thread.setDaemon(true);
        thread.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    public List<Received> to(String address) {
        return received.stream().filter(r -> r.recipients().stream().anyMatch(address::equalsIgnoreCase)).toList();
    }

    private void serve() {
        while (!server.isClosed()) {
            try (Socket socket = server.accept()) {
                session(socket);
            } catch (IOException e) {
                // closed, or a client that went away: wait for the next one
            }
        }
    }

    private void session(Socket socket) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        Writer out = new OutputStreamWriter(socket.getOutputStream(), StandardCharsets.UTF_8);
        reply(out, "220 sink ESMTP");
        List<String> recipients = new ArrayList<>();
        String line;
        while ((line = in.readLine()) != null) {
            String command = line.toUpperCase();
            if (command.startsWith("EHLO") || command.startsWith("HELO")) {
                reply(out, "250 sink");
            } else if (command.startsWith("MAIL FROM")) {
                recipients = new ArrayList<>();
                reply(out, "250 OK");
            } else if (command.startsWith("RCPT TO")) {
                recipients.add(line.substring(line.indexOf('<') + 1, line.indexOf('>')));
                reply(out, "250 OK");
            } else if (command.equals("DATA")) {
                reply(out, "354 end with .");
                StringBuilder content = new StringBuilder();
                while ((line = in.readLine()) != null && !line.equals(".")) {
                    content.append(line.startsWith("..") ? line.substring(1) : line).append('\n');
                }
                received.add(new Received(List.copyOf(recipients), content.toString()));
                reply(out, "250 OK queued");
            } else if (command.equals("QUIT")) {
                reply(out, "221 bye");
                return;
            } else {
                reply(out, "250 OK");
            }
        }
    }

    private static void reply(Writer out, String text) throws IOException {
        out.write(text + "\r\n");
        out.flush();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
