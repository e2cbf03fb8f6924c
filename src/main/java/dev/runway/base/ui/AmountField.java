package dev.runway.base.ui;

import com.vaadin.flow.component.textfield.BigDecimalField;
import com.vaadin.flow.component.textfield.TextFieldVariant;
import dev.runway.base.BadInputException;
import java.math.BigDecimal;

/**
 * A money input, right-aligned. Text it cannot read ("1.2.3", "--") leaves its value empty, which a form would take
 * for "no amount" and save (clearing a plan line): {@link #amount} refuses it at the field instead.
 */
public class AmountField extends BigDecimalField {

    static final String UNREADABLE = "Not an amount: write digits with at most one decimal point, e.g. 1200 or "
            + "1200.50";

    public AmountField(String label) {
        super(label);
        addThemeVariants(TextFieldVariant.LUMO_ALIGN_RIGHT);
        setI18n(new BigDecimalFieldI18n().setBadInputErrorMessage(UNREADABLE));
    }

    /** The amount typed, null when empty; a {@link BadInputException} at {@code field} when it is unreadable. */
    public BigDecimal amount(String field) {
        if (unreadable()) {
            throw new BadInputException(field, message());
        }
        return getValue();
    }

    /** Text is there but is not a number. */
    public boolean unreadable() {
        return getValue() == null && !getElement().getProperty("value", "").isBlank();
    }

    /** Marks the field when its text is unreadable; true when it was. */
    public boolean flagUnreadable() {
        if (!unreadable()) {
            return false;
        }
        setErrorMessage(message());
        setInvalid(true);
        return true;
    }

    private String message() {
        return "“" + getElement().getProperty("value", "").strip() + "” is n" + UNREADABLE.substring(1);
    }
}
