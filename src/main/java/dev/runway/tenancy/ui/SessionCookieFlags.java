package dev.runway.tenancy.ui;

import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.SessionCookieConfig;
import jakarta.servlet.annotation.WebListener;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The flags of the session cookie (JSESSIONID, set by the servlet container Vaadin runs in): {@code HttpOnly}, so that
 * no script can read it, and {@code Secure} when {@code runway.session.secure-cookie} is on (the production profile:
 * the console is served over HTTPS). {@code SameSite=Lax} is added by the servlet container's own handler, named in
 * {@code META-INF/undertow-handlers.conf}: its session cookie has no SameSite setting, and Quarkus'
 * {@code quarkus.http.same-site-cookie} reaches only cookies set through Vert.x (checked by {@code SessionCookieTest}).
 */
@WebListener
public class SessionCookieFlags implements ServletContextListener {

    @Override
    public void contextInitialized(ServletContextEvent event) {
        SessionCookieConfig cookie = event.getServletContext().getSessionCookieConfig();
        cookie.setHttpOnly(true);
        cookie.setSecure(ConfigProvider.getConfig()
                .getOptionalValue("runway.session.secure-cookie", Boolean.class).orElse(false));
    }
}
