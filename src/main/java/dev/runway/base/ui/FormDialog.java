package dev.runway.base.ui;

import com.vaadin.flow.component.HasValidation;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.dialog.Dialog;
import java.util.Map;

/**
 * A dialog that submits a form: a primary button runs the action, and a refusal lands at the field it names (or in a
 * notification), leaving the dialog open with everything typed. The action decides what success looks like: close with
 * a message ({@link #done}), or stay open and show a result (a secret shown once) after {@link #hideSubmit}.
 */
public class FormDialog extends Dialog {

    private final Button submit;
    private Map<String, ? extends HasValidation> fields = Map.of();
    private Runnable action = () -> {};

    /**
     * @param submitLabel the primary button ("Save", "Create key")
     * @param dismissLabel the button that closes without submitting ("Cancel", or "Close" where a result is shown)
     */
    public FormDialog(String title, String submitLabel, String dismissLabel) {
        setHeaderTitle(title);
        submit = new Button(submitLabel, e -> submit());
        submit.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        getFooter().add(new Button(dismissLabel, e -> close()), submit);
    }

    /** What the primary button runs; {@code fields} are where its refusals are shown, by the name the service uses. */
    public FormDialog onSubmit(Map<String, ? extends HasValidation> fields, Runnable action) {
        this.fields = fields;
        this.action = action;
        return this;
    }

    /** Closes the dialog after a successful submit and says what happened. */
    public void done(String success) {
        close();
        Messages.success(success);
    }

    /** After a submit whose result the dialog now shows: nothing more to submit. */
    public void hideSubmit() {
        submit.setVisible(false);
    }

    private void submit() {
        Messages.clear(fields);
        try {
            action.run();
        } catch (RuntimeException ex) {
            Messages.show(ex, fields);
        }
    }
}
