package dev.runway.tenancy.ui;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.server.VaadinRequest;
import com.vaadin.flow.server.VaadinServletRequest;
import com.vaadin.flow.server.VaadinSession;
import dev.runway.tenancy.Actor;
import dev.runway.tenancy.AuthService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * Signing in and out of the browser session. A session is signed in only when it holds an {@link Actor}; after the
 * password of a user with two-factor sign-in it holds an {@link AuthService.SignIn} instead, which no page guard and
 * no service accepts as an actor.
 */
public final class SessionSupport {

    private static final Logger LOG = Logger.getLogger(SessionSupport.class);
    private static final AtomicBoolean WARNED = new AtomicBoolean();
    private static final Pattern FORWARDED_FOR = Pattern.compile("(?i)for=\"?([^;,\"]+)");

    private SessionSupport() {}

    /** Where the password step leads: signed in, or on to the code (or set-up) step. */
    public static void proceed(AuthService.SignIn signIn) {
        if (signIn.next() == AuthService.Next.DONE) {
            signIn(signIn.actor());
            return;
        }
        VaadinSession.getCurrent().setAttribute(AuthService.SignIn.class, signIn);
        UI.getCurrent().navigate(TwoFactorView.class);
    }

    /**
     * A signed-in session whose company now requires a second factor: it is signed in no more, and waits at the code
     * (or set-up) step like a session whose password step just passed.
     */
    public static void requireSecondFactor(AuthService.SignIn signIn) {
        VaadinSession session = VaadinSession.getCurrent();
        session.setAttribute(Actor.class, null);
        session.setAttribute(AuthService.SignIn.class, signIn);
    }

    /** The password step passed, waiting for the second one; null when there is none. */
    static AuthService.SignIn pending() {
        return VaadinSession.getCurrent().getAttribute(AuthService.SignIn.class);
    }

    /** A new session id at sign-in (no session fixation), then a fresh page load as the actor. */
    public static void signIn(Actor actor) {
        VaadinServletRequest request = VaadinServletRequest.getCurrent();
        if (request != null) {
            request.getHttpServletRequest().changeSessionId();
        }
        VaadinSession session = VaadinSession.getCurrent();
        session.setAttribute(AuthService.SignIn.class, null);
        session.setAttribute(Actor.class, actor);
        UI.getCurrent().getPage().setLocation("/");
    }

    /** The session's user just gave a code (turning two-factor sign-in on): no longer a password-only session. */
    public static void secondFactorGiven() {
        VaadinSession session = VaadinSession.getCurrent();
        Actor actor = session.getAttribute(Actor.class);
        if (actor != null) {
            session.setAttribute(Actor.class, actor.withPasswordOnly(false));
        }
    }

    /** Switching company keeps the session, reloads every page as the other tenant. */
    public static void switchTo(Actor actor) {
        VaadinSession.getCurrent().setAttribute(Actor.class, actor);
        UI.getCurrent().getPage().setLocation("/");
    }

    /** Ends the server-side session: any copy of the cookie stops working too. */
    public static void signOut() {
        VaadinSession session = VaadinSession.getCurrent();
        session.setAttribute(Actor.class, null);
        session.setAttribute(AuthService.SignIn.class, null);
        UI.getCurrent().getPage().setLocation("/login");
        session.getSession().invalidate();
    }

    /**
     * The client's address, for throttling: the connection's remote address (behind a proxy, Quarkus replaces it with
     * the forwarded one when {@code quarkus.http.proxy.proxy-address-forwarding} is on, see docs/tenancy.md).
     */
    public static String clientAddress() {
        VaadinRequest request = VaadinRequest.getCurrent();
        if (request == null) {
            return "unknown";
        }
        String address = request.getRemoteAddr();
        if (forwardingIgnored(address, request.getHeader("X-Forwarded-For"), request.getHeader("Forwarded"))
                && !WARNED.getAndSet(true)) {
            LOG.warnf("Requests arrive through a proxy (from %s, with forwarding headers) but the forwarded client "
                    + "address is not used: everyone behind the proxy shares one sign-in throttle count. Set "
                    + "quarkus.http.proxy.proxy-address-forwarding and trusted-proxies (docs/tenancy.md).", address);
        }
        return address;
    }

    /**
     * Whether a request names a forwarded client that is not its remote address: a proxy forwards, and Quarkus is not
     * set to take the client's address from it (once it is, the remote address is the forwarded one).
     */
    static boolean forwardingIgnored(String remote, String xForwardedFor, String forwarded) {
        String client = null;
        if (xForwardedFor != null && !xForwardedFor.isBlank()) {
            client = xForwardedFor.split(",")[0];
        } else if (forwarded != null) {
            Matcher m = FORWARDED_FOR.matcher(forwarded);
            client = m.find() ? m.group(1) : null;
        }
        if (client == null || remote == null) {
            return false;
        }
        client = client.strip().replaceAll("^\\[|](:\\d+)?$", "");
        return !client.isEmpty() && !client.equalsIgnoreCase(remote.replaceAll("^\\[|]$", ""));
    }
}
