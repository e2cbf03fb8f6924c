package dev.runway.base.ui;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.textfield.TextField;

/**
 * A secret Runway shows only now (an API key, an invitation link, a signing secret): read-only, full width, with a
 * copy button. Runway keeps only a fingerprint of most of them, so the person must take it from here.
 */
public class SecretField extends HorizontalLayout {

    private final TextField field;

    /**
     * @param what how the copy notifications name it ("Key", "Secret")
     * @param className the field's class, which tests and the theme use to find it
     */
    public SecretField(String label, String value, String what, String className) {
        field = new TextField(label);
        field.setValue(value);
        field.setReadOnly(true);
        field.setWidthFull();
        field.addClassName(className);
        Button copy = new Button("Copy", VaadinIcon.COPY.create(), e -> UI.getCurrent().getPage()
                .executeJs("return navigator.clipboard.writeText($0)", field.getValue())
                .then(ok -> Messages.success(what + " copied"), error -> Messages.error("Could not copy: select the "
                        + what.toLowerCase() + " and copy it yourself")));
        add(field, copy);
        setWidthFull();
        setAlignItems(FlexComponent.Alignment.BASELINE);
        expand(field);
    }

    /** Shows a new value in place (a rotated secret). */
    public void setValue(String value) {
        field.setValue(value);
    }
}
