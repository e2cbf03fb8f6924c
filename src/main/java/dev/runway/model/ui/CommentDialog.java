package dev.runway.model.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.textfield.TextArea;
import dev.runway.base.ui.Messages;
import dev.runway.model.ModelLifecycle;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Asks why before a lifecycle change: every stage change, approval, rejection, rollback and alias move carries a
 * comment. The dialog stays open with the message at the field when the change is refused.
 */
final class CommentDialog extends Dialog {

    CommentDialog(String title, String explanation, String action, Consumer<String> change) {
        setHeaderTitle(title);
        setWidth("min(520px, 95vw)");
        TextArea comment = new TextArea("Comment");
        comment.setPlaceholder("Why? Teammates read this in the history");
        comment.setWidthFull();
        comment.setMaxLength(ModelLifecycle.COMMENT_MAX);
        comment.setRequired(true);
        if (explanation != null) {
            add(new Paragraph(explanation));
        }
        add(comment);
        Button confirm = new Button(action, e -> {
            Messages.clear(Map.of("comment", comment));
            try {
                change.accept(comment.getValue());
                close();
            } catch (RuntimeException ex) {
                Messages.show(ex, Map.of("comment", comment));
            }
        });
        confirm.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        getFooter().add(new Button("Cancel", e -> close()), confirm);
        comment.focus();
    }
}
