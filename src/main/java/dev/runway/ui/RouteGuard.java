package dev.runway.ui;

import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.NotFoundException;
import com.vaadin.flow.server.ServiceInitEvent;
import com.vaadin.flow.server.VaadinSession;
import com.vaadin.flow.server.auth.AnonymousAllowed;
import dev.runway.base.AccessDeniedException;
import dev.runway.base.ui.Messages;
import dev.runway.tenancy.Access;
import dev.runway.tenancy.Actor;
import dev.runway.tenancy.AuthService;
import dev.runway.tenancy.OperatorOnly;
import dev.runway.tenancy.Operators;
import dev.runway.tenancy.RequiresPermission;
import dev.runway.tenancy.ui.LoginView;
import dev.runway.tenancy.ui.SessionSupport;
import dev.runway.tenancy.ui.TwoFactorView;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * Every navigation passes here: anonymous visitors reach only pages marked {@link AnonymousAllowed} and land on the
 * sign-in page otherwise; members reach a page only if their role holds its {@link RequiresPermission}. A page
 * marked {@link OperatorOnly} is missing to everyone but platform operators. Unexpected errors become a message,
 * never a stack trace.
 */
@ApplicationScoped
public class RouteGuard {

    @Inject
    Access access;

    @Inject
    AuthService auth;

    @Inject
    Operators operators;

    void onServiceInit(@Observes ServiceInitEvent event) {
        event.getSource().addUIInitListener(e -> e.getUI().addBeforeEnterListener(this::check));
        event.getSource().addSessionInitListener(e -> e.getSession().setErrorHandler(error -> {
            Throwable t = error.getThrowable();
            Messages.show(t instanceof Exception ex ? ex : new RuntimeException(t));
        }));
    }

    private void check(BeforeEnterEvent event) {
        Class<?> target = event.getNavigationTarget();
        if (target.isAnnotationPresent(OperatorOnly.class) && !operators.isOperator()) {
            // Before the sign-in check: to anyone but an operator, signed in or not, the page does not exist.
            event.rerouteToError(NotFoundException.class);
            return;
        }
        if (target.isAnnotationPresent(AnonymousAllowed.class)) {
            return;
        }
        Actor actor = VaadinSession.getCurrent().getAttribute(Actor.class);
        if (actor == null) {
            event.rerouteTo(LoginView.class);
            return;
        }
        if (access.secondFactorMissing()) {
            // The company requires two-factor sign-in since this session signed in with a password alone: the
            // session goes back to the code (or set-up) step, as a fresh sign-in would.
            SessionSupport.requireSecondFactor(auth.nextStep(actor.withPasswordOnly(false)));
            event.rerouteTo(TwoFactorView.class);
            return;
        }
        RequiresPermission required = target.getAnnotation(RequiresPermission.class);
        if (required != null && !access.can(required.value())) {
            String message = "Your role does not allow this page";
            event.rerouteToError(new AccessDeniedException(message), message);
        }
    }
}
