package dev.runway.api;

import dev.runway.base.AccessDeniedException;
import dev.runway.base.BadInputException;
import dev.runway.base.NotFoundException;
import dev.runway.base.TooLargeException;
import dev.runway.tenancy.Actor;
import dev.runway.tenancy.TenantContext;
import jakarta.inject.Inject;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import me.desair.tus.server.HttpMethod;
import me.desair.tus.server.TusFileUploadService;
import me.desair.tus.server.upload.UploadInfo;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The tus 1.0 endpoint ({@code /api/v1/uploads}, docs/api.md "Resumable uploads (tus)"). A servlet, because
 * tus-java-server speaks the Servlet API (Undertow serves it beside the console). It authenticates the bearer key as
 * {@link ApiKeyFilter} does and acts in the key's company ({@code TenantContext.runAs}); tus-java-server handles the
 * protocol, {@link ResumableUploads} decides who may upload where and registers the finished file. Every refusal is
 * a problem+json answer, tus-java-server's own included.
 */
@WebServlet(name = "tus", urlPatterns = {ResumableUploads.PATH, ResumableUploads.PATH + "/*"})
public class ResumableUploadServlet extends HttpServlet {

    private static final Logger LOG = Logger.getLogger(ResumableUploadServlet.class);
    private static final Pattern ID = Pattern.compile("[0-9a-fA-F-]{1,64}");
    /** Names the dataset version a finished upload became, on the last PATCH and on every HEAD after it. */
    static final String VERSION_HEADER = "Runway-Dataset-Version-Id";

    @Inject
    ApiKeyService keys;

    @Inject
    ResumableUploads uploads;

    @Inject
    ApiRateLimits limits;

    @ConfigProperty(name = "runway.node.role", defaultValue = "web")
    String nodeRole;

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if ("worker".equalsIgnoreCase(nodeRole)) {
            write(response, Problems.of(404, "not-found", "Not found", ApiKeyFilter.WORKER_NODE, null));
            return;
        }
        String key = ApiKeyFilter.bearerKey(request.getHeader("Authorization"));
        Actor actor;
        try {
            actor = keys.authenticate(key);
        } catch (ApiKeyRejectedException e) {
            write(response, Problems.unauthorized(e.getMessage()));
            return;
        }
        // The key's rate limits, as for every API request: a PATCH's bytes count against its upload bytes, declared
        // or (tus clients send chunked bodies) counted as they are read.
        long length = ApiKeyFilter.contentLength(request.getHeader("Content-Length"));
        Optional<ApiRateLimits.Refusal> refused = limits.admitUpload(key, Math.max(0, length));
        if (refused.isPresent()) {
            write(response, refused.get().response());
            return;
        }
        HttpServletRequest counted = length < 0 ? new CountedRequest(request, limits, key) : request;
        String id = uploadId(request);
        String method = method(request);
        ProblemResponse answer = new ProblemResponse(response);
        IOException[] failed = new IOException[1];
        try {
            TenantContext.runAs(actor, () -> {
                try {
                    if (id == null && method.equals("POST")) {
                        create(counted, answer, actor);
                    } else if (id == null) {
                        tus(counted, answer, actor);
                    } else if (id.isEmpty()) {
                        throw new NotFoundException("Upload");
                    } else {
                        upload(id, method, counted, answer, actor);
                    }
                } catch (IOException e) {
                    failed[0] = e;
                }
            });
        } catch (RuntimeException e) {
            if (!response.isCommitted()) {
                response.reset();
                write(response, problem(e));
            }
            return;
        }
        if (failed[0] != null) {
            // Mostly a connection that dropped mid-chunk: the bytes that arrived are kept, the client resumes.
            LOG.infof("Upload request %s %s ended early: %s", method, request.getRequestURI(), failed[0].toString());
        }
    }

    /** POST: checks where the file goes and its size, then lets tus create the upload and records it. */
    private void create(HttpServletRequest request, ProblemResponse response, Actor actor) throws IOException {
        UploadInfo parsed = new UploadInfo();
        parsed.setEncodedMetadata(request.getHeader("Upload-Metadata"));
        Map<String, String> metadata = parsed.getMetadata();
        Long length = length(request.getHeader("Upload-Length"));
        ResumableUploads.Target target = uploads.target(metadata, length);
        tus(request, response, actor);
        String location = response.getHeader("Location");
        if (response.getStatus() != HttpServletResponse.SC_CREATED || location == null) {
            return;   // tus refused it (a problem is written)
        }
        String id = location.substring(location.lastIndexOf('/') + 1);
        try {
            uploads.begun(id, target, length);
        } catch (RuntimeException e) {
            uploads.deleteBytes(id, ResumableUploads.owner(actor.tenantId()));
            throw e;
        }
    }

    private void upload(String id, String method, HttpServletRequest request, ProblemResponse response,
            Actor actor) throws IOException {
        ResumableUpload upload = uploads.find(id).orElseThrow(() -> new NotFoundException("Upload"));
        if (upload.datasetVersionId() != null && (method.equals("HEAD") || method.equals("PATCH"))) {
            finished(response, upload.length(), upload.datasetVersionId(), method.equals("HEAD") ? 200 : 204);
            return;
        }
        switch (method) {
            case "DELETE" -> {
                uploads.remove(id);
                response.setHeader("Tus-Resumable", TusFileUploadService.TUS_API_VERSION);
                response.setStatus(HttpServletResponse.SC_NO_CONTENT);
            }
            case "PATCH" -> {
                uploads.touch(id);
                tus(request, response, actor);
                registerWhenComplete(id, upload.length(), response, actor);
            }
            case "HEAD" -> {
                tus(request, response, actor);
                // A complete upload whose registration did not happen (the node stopped, the database failed) is
                // registered when the client comes back to ask where it stands.
                registerWhenComplete(id, upload.length(), response, actor);
            }
            case "OPTIONS", "GET" -> tus(request, response, actor);
            default -> {
                response.setHeader("Allow", "OPTIONS, HEAD, PATCH, DELETE");
                response.sendError(HttpServletResponse.SC_METHOD_NOT_ALLOWED, method + " is not a tus request");
            }
        }
    }

    private void tus(HttpServletRequest request, ProblemResponse response, Actor actor) throws IOException {
        uploads.tus().process(request, response, ResumableUploads.owner(actor.tenantId()));
        if (!response.answered()) {
            // tus-java-server answers nothing when another request holds the upload's lock, e.g. a PATCH whose
            // connection dropped and whose end this node has not seen yet.
            response.setHeader("Retry-After", "2");
            response.sendError(423, "Another request is writing to this upload (perhaps one whose connection "
                    + "dropped); try again in a few seconds");
        }
    }

    private void registerWhenComplete(String id, long length, ProblemResponse response, Actor actor)
            throws IOException {
        int status = response.getStatus();
        if (status < 200 || status > 299 || uploads.offset(id, actor.tenantId()) != length) {
            return;
        }
        long version = uploads.register(id);
        finished(response, length, version, status);
    }

    private static void finished(HttpServletResponse response, long length, long versionId, int status) {
        response.setStatus(status);
        response.setHeader("Tus-Resumable", TusFileUploadService.TUS_API_VERSION);
        response.setHeader("Upload-Offset", Long.toString(length));
        response.setHeader("Upload-Length", Long.toString(length));
        response.setHeader("Cache-Control", "no-store");
        response.setHeader(VERSION_HEADER, Long.toString(versionId));
    }

    /** Null for the creation URL, the id for {@code /uploads/<id>}, "" for anything else (not found). */
    private static String uploadId(HttpServletRequest request) {
        String rest = request.getPathInfo();
        if (rest == null || rest.equals("/")) {
            return null;
        }
        String id = rest.substring(1);
        return ID.matcher(id).matches() ? id : "";
    }

    /**
     * The method tus-java-server will act on, decided exactly as it decides it: clients on platforms without PATCH
     * send POST with X-HTTP-Method-Override, which counts only when it names an HTTP method. (Read any other way, a
     * request could pass this servlet's checks as one method and be carried out by tus as another.)
     */
    private static String method(HttpServletRequest request) {
        String override = request.getHeader("X-HTTP-Method-Override");
        boolean named = override != null && !override.isBlank() && HttpMethod.forName(override.strip()) != null;
        return (named ? override.strip() : request.getMethod()).toUpperCase(Locale.ROOT);
    }

    private static Long length(String header) {
        if (header == null) {
            return null;
        }
        try {
            return Long.parseLong(header.strip());
        } catch (NumberFormatException e) {
            throw new BadInputException("Upload-Length", "Upload-Length must be the file's size in bytes, not “"
                    + header + "”");
        }
    }

    /** The same problem the API's exception mappers give for the same failure. */
    private static Response problem(RuntimeException e) {
        if (e instanceof TooLargeException tooLarge) {
            return new ProblemMappers.TooLarge().toResponse(tooLarge);
        }
        if (e instanceof BadInputException bad) {
            return new ProblemMappers.BadInput().toResponse(bad);
        }
        if (e instanceof NotFoundException notFound) {
            return new ProblemMappers.NotFound().toResponse(notFound);
        }
        if (e instanceof AccessDeniedException denied) {
            return new ProblemMappers.AccessDenied().toResponse(denied);
        }
        if (e instanceof ApiKeyRejectedException rejected) {
            return new ProblemMappers.KeyRejected().toResponse(rejected);
        }
        return new ProblemMappers.Unexpected().toResponse(e);
    }

    private static void write(HttpServletResponse response, Response problem) throws IOException {
        response.setStatus(problem.getStatus());
        problem.getStringHeaders().forEach((name, values) -> {
            if (!name.equalsIgnoreCase("Content-Type")) {
                values.forEach(v -> response.addHeader(name, v));
            }
        });
        response.setContentType(Problems.MEDIA_TYPE);
        byte[] body = ((String) problem.getEntity()).getBytes(StandardCharsets.UTF_8);
        // tus-java-server sets Content-Length: 0 on every answer; a problem has a body.
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    /** A body without a declared length, counted against the key's upload bytes as tus-java-server reads it. */
    private static final class CountedRequest extends HttpServletRequestWrapper {
        private final ApiRateLimits limits;
        private final String key;
        private ServletInputStream body;

        CountedRequest(HttpServletRequest request, ApiRateLimits limits, String key) {
            super(request);
            this.limits = limits;
            this.key = key;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (body == null) {
                ServletInputStream original = super.getInputStream();
                InputStream counting = limits.counted(key, original);
                body = new ServletInputStream() {
                    @Override
                    public int read() throws IOException {
                        return counting.read();
                    }

                    @Override
                    public int read(byte[] buffer, int offset, int length) throws IOException {
                        return counting.read(buffer, offset, length);
                    }

                    @Override
                    public boolean isFinished() {
                        return original.isFinished();
                    }

                    @Override
                    public boolean isReady() {
                        return original.isReady();
                    }

                    @Override
                    public void setReadListener(ReadListener listener) {
                        original.setReadListener(listener);
                    }
                };
            }
            return body;
        }
    }

    /** tus-java-server's refusals (sendError) as problem+json, and whether it answered at all. */
    private static final class ProblemResponse extends HttpServletResponseWrapper {
        private boolean answered;

        ProblemResponse(HttpServletResponse response) {
            super(response);
        }

        boolean answered() {
            return answered;
        }

        @Override
        public void setStatus(int status) {
            answered = true;
            super.setStatus(status);
        }

        @Override
        public void sendError(int status) throws IOException {
            sendError(status, null);
        }

        @Override
        public void sendError(int status, String message) throws IOException {
            answered = true;
            Response problem = new ProblemMappers.Web().toResponse(new WebApplicationException(message, status));
            write((HttpServletResponse) getResponse(), problem);
        }
    }
}
