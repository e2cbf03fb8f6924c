package dev.runway.ui;

import com.vaadin.flow.server.VaadinServletContext;
import com.vaadin.flow.server.startup.ApplicationRouteRegistry;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * A browser opening an address that is no route of the console gets status 404. Vaadin answers every page address
 * with its bootstrap page (200) and only then, in a second request, shows {@link NotFoundView}; the status is set
 * here from the same route registry, so that crawlers, link checkers and monitoring see the page is missing.
 */
@WebFilter(urlPatterns = "/*")
public class NotFoundStatusFilter extends HttpFilter {

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (isPageRequest(request) && !isRoute(request, path(request))) {
            response.setStatus(HttpServletResponse.SC_NOT_FOUND);
        }
        chain.doFilter(request, response);
    }

    /** A browser navigation: a GET for HTML, not one of Vaadin's own requests (they carry v-r or live in VAADIN/). */
    private static boolean isPageRequest(HttpServletRequest request) {
        String accept = request.getHeader("Accept");
        String path = path(request);
        return "GET".equals(request.getMethod()) && accept != null && accept.contains("text/html")
                && request.getParameter("v-r") == null && !path.startsWith("VAADIN/") && !path.startsWith("api/")
                && !path.startsWith("q/");
    }

    private static boolean isRoute(HttpServletRequest request, String path) {
        ApplicationRouteRegistry routes = ApplicationRouteRegistry.getInstance(
                new VaadinServletContext(request.getServletContext()));
        return routes.getNavigationRouteTarget(path).hasTarget();
    }

    private static String path(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        path = path.startsWith("/") ? path.substring(1) : path;
        return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }
}
