package dev.runway.tenancy.ui;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.server.VaadinServletRequest;
import com.vaadin.flow.server.VaadinSession;
import dev.runway.tenancy.Actor;

/** Signing in and out of the browser session. */
public final class SessionSupport {

    private SessionSupport() {}

    /** A new session id at sign-in (no session fixation), then a fresh page load as the actor. */
    public static void signIn(Actor actor) {
        VaadinServletRequest request = VaadinServletRequest.getCurrent();
        if (request != null) {
            request.getHttpServletRequest().changeSessionId();
        }
        VaadinSession.getCurrent().setAttribute(Actor.class, actor);
        UI.getCurrent().getPage().setLocation("/");
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
        UI.getCurrent().getPage().setLocation("/login");
        session.getSession().invalidate();
    }
}
