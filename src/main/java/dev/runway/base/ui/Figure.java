package dev.runway.base.ui;

import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Span;

/** A figure with its caption, as a card: dashboard counts (large) and facts of a record (small). */
public final class Figure {

    private Figure() {}

    public static Div large(String label, String value) {
        return card(label, value, "card-value");
    }

    public static Div small(String label, String value) {
        return card(label, value, "fact-value");
    }

    private static Div card(String label, String value, String valueClass) {
        Span number = new Span(value);
        number.addClassName(valueClass);
        Span caption = new Span(label);
        caption.addClassName("card-label");
        Div card = new Div(number, caption);
        card.addClassName("card");
        return card;
    }
}
