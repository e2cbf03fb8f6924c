package dev.runway.base.ui;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;

/** What a page is for and, where the user may act, the button that fills it. */
public class EmptyState extends Div {

    public EmptyState(String title, String explanation, Component... actions) {
        addClassName("empty-state");
        add(new H3(title), new Paragraph(explanation));
        if (actions.length > 0) {
            Div bar = new Div(actions);
            bar.addClassName("empty-state-actions");
            add(bar);
        }
    }
}
