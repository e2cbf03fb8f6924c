package dev.runway.ui;

import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.ErrorParameter;
import com.vaadin.flow.router.HasErrorParameter;
import dev.runway.base.AccessDeniedException;
import dev.runway.base.ui.EmptyState;
import jakarta.servlet.http.HttpServletResponse;

/** Shown when a member opens a page their role does not allow. */
public class AccessDeniedView extends VerticalLayout implements HasErrorParameter<AccessDeniedException> {

    @Override
    public int setErrorParameter(BeforeEnterEvent event, ErrorParameter<AccessDeniedException> parameter) {
        removeAll();
        add(new EmptyState("Not available to your role",
                parameter.getCustomMessage() + ". Ask an owner or admin if you need it."), new Anchor("", "Go to the dashboard"));
        return HttpServletResponse.SC_FORBIDDEN;
    }
}
