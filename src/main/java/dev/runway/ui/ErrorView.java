package dev.runway.ui;

import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.ErrorParameter;
import com.vaadin.flow.router.HasErrorParameter;
import dev.runway.base.ui.EmptyState;
import dev.runway.base.ui.Messages;
import jakarta.servlet.http.HttpServletResponse;

/** Any unexpected failure while opening a page: a sentence, never a stack trace (it is logged). */
public class ErrorView extends VerticalLayout implements HasErrorParameter<Exception> {

    @Override
    public int setErrorParameter(BeforeEnterEvent event, ErrorParameter<Exception> parameter) {
        removeAll();
        add(new EmptyState("This page could not be shown", Messages.describe(parameter.getException())),
                new Anchor("", "Go to the dashboard"));
        return HttpServletResponse.SC_INTERNAL_SERVER_ERROR;
    }
}
