package dev.runway.ui;

import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** A node started with {@code runway.node.role=worker} only executes runs: it serves no page. */
@WebFilter(urlPatterns = "/*")
public class WorkerNodeFilter extends HttpFilter {

    @Inject
    @ConfigProperty(name = "runway.node.role", defaultValue = "web")
    String role;

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if ("worker".equalsIgnoreCase(role)) {
            response.sendError(HttpServletResponse.SC_NOT_FOUND,
                    "This is a Runway worker node: it runs jobs and serves no pages. Open a web node instead.");
            return;
        }
        chain.doFilter(request, response);
    }
}
