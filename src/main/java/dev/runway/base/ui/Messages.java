package dev.runway.base.ui;

import com.vaadin.flow.component.HasValidation;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.notification.NotificationVariant;
import dev.runway.base.AccessDeniedException;
import dev.runway.base.BadInputException;
import dev.runway.base.NotFoundException;
import dev.runway.base.Text;
import java.util.Map;
import org.jboss.logging.Logger;

/** The one place where a service's exception becomes what a person reads. No stack trace reaches a page. */
public final class Messages {

    private static final Logger LOG = Logger.getLogger(Messages.class);

    private Messages() {}

    public static void success(String text) {
        Notification n = Notification.show(text, 4000, Notification.Position.BOTTOM_START);
        n.addThemeVariants(NotificationVariant.LUMO_SUCCESS);
    }

    public static void error(String text) {
        Notification n = Notification.show(text, 6000, Notification.Position.MIDDLE);
        n.addThemeVariants(NotificationVariant.LUMO_ERROR);
    }

    /**
     * The words for an exception; unexpected ones are logged and get a generic sentence. Server file paths are taken
     * out, as the API does: a refusal may quote a file the server could not read.
     */
    public static String describe(Exception e) {
        if (e instanceof BadInputException || e instanceof NotFoundException || e instanceof AccessDeniedException) {
            return Text.withoutFilePaths(e.getMessage());
        }
        LOG.error("Unexpected error in a view", e);
        return "Something went wrong on our side; nothing was changed. Please try again.";
    }

    /**
     * Shows a failed action: a bad input at its field when the form has one with that name, otherwise as a
     * notification.
     */
    public static void show(Exception e, Map<String, ? extends HasValidation> fields) {
        if (e instanceof BadInputException bad && bad.field() != null && fields.containsKey(bad.field())) {
            HasValidation field = fields.get(bad.field());
            field.setErrorMessage(Text.withoutFilePaths(bad.getMessage()));
            field.setInvalid(true);
            return;
        }
        error(describe(e));
    }

    public static void show(Exception e) {
        error(describe(e));
    }

    /** Clears earlier error messages before a new attempt. */
    public static void clear(Map<String, ? extends HasValidation> fields) {
        fields.values().forEach(f -> f.setInvalid(false));
    }
}
