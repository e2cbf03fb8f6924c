package dev.runway.ui;

import com.vaadin.flow.server.VaadinServletContext;
import com.vaadin.flow.server.startup.ApplicationRouteRegistry;
import dev.runway.tenancy.OperatorOnly;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;

/**
 * An address that is no route of the console is answered with status 404. Vaadin answers every such address with its
 * bootstrap page (200) and only then, in a second request, shows {@link NotFoundView}; the status is set here, from
 * the same route registry, when that page is written, so that crawlers, link checkers and monitoring see the page is
 * missing. Other answers (static files, Vaadin's own requests) keep theirs.
 */
@WebFilter(urlPatterns = "/*")
public class NotFoundStatusFilter extends HttpFilter {

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String path = path(request);
        if (!"GET".equals(request.getMethod()) || request.getParameter("v-r") != null || path.startsWith("VAADIN/")
                || isRoute(request, path)) {
            chain.doFilter(request, response);
            return;
        }
        chain.doFilter(request, new HttpServletResponseWrapper(response) {
            @Override
            public void setContentType(String type) {
                if (type != null && type.startsWith("text/html")) {
                    super.setStatus(HttpServletResponse.SC_NOT_FOUND);
                }
                super.setContentType(type);
            }
        });
    }

    private static boolean isRoute(HttpServletRequest request, String path) {
        ApplicationRouteRegistry routes = ApplicationRouteRegistry.getInstance(
                new VaadinServletContext(request.getServletContext()));
        var target = routes.getNavigationRouteTarget(path);
        // An operators' page answers 404 to everyone, operators too (their browser shows it all the same): the status
        // of an address must not tell a stranger that the page exists.
        return target.hasTarget() && !target.getRouteTarget().getTarget().isAnnotationPresent(OperatorOnly.class);
    }

    private static String path(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        path = path.startsWith("/") ? path.substring(1) : path;
        return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }
}
