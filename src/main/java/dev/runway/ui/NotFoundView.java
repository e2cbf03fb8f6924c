package dev.runway.ui;

import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.ErrorParameter;
import com.vaadin.flow.router.HasErrorParameter;
import com.vaadin.flow.router.NotFoundException;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.server.auth.AnonymousAllowed;
import dev.runway.base.ui.EmptyState;
import jakarta.servlet.http.HttpServletResponse;

/**
 * An address that is no page of the console: Runway's own page with a way back, instead of Vaadin's (which lists
 * every route in development mode). Anyone may see it: it says nothing about the company or the user.
 */
@AnonymousAllowed
@PageTitle("Page not found · Runway")
public class NotFoundView extends VerticalLayout implements HasErrorParameter<NotFoundException> {

    @Override
    public int setErrorParameter(BeforeEnterEvent event, ErrorParameter<NotFoundException> parameter) {
        removeAll();
        add(new EmptyState("Page not found", "There is no page at this address. It may have moved, or the link "
                + "may be mistyped."), new Anchor("", "Go to the dashboard"));
        return HttpServletResponse.SC_NOT_FOUND;
    }
}
