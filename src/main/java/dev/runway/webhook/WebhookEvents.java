package dev.runway.webhook;

import dev.runway.base.Happened;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** The event types an endpoint can receive, and the test event "Send test event" sends. */
public final class WebhookEvents {

    /** What people read next to each type's checkbox, in the order shown. */
    public record Type(String code, String label) {}

    public static final String TEST = "webhook.test";

    private static final Set<Happened.Kind> CARRIED = EnumSet.of(Happened.Kind.RUN_FINISHED,
            Happened.Kind.RUN_FAILED, Happened.Kind.MODEL_STAGE_CHANGED, Happened.Kind.MODEL_APPROVAL_REQUESTED,
            Happened.Kind.BUDGET_THRESHOLD, Happened.Kind.INVOICE_FINALISED);

    public static final List<Type> TYPES = List.of(
            new Type(Happened.Kind.RUN_FINISHED.code(), "A run finished"),
            new Type(Happened.Kind.RUN_FAILED.code(), "A run failed"),
            new Type(Happened.Kind.MODEL_STAGE_CHANGED.code(), "A model version changed stage"),
            new Type(Happened.Kind.MODEL_APPROVAL_REQUESTED.code(), "A promotion awaits approval"),
            new Type(Happened.Kind.BUDGET_THRESHOLD.code(), "A budget threshold was reached"),
            new Type(Happened.Kind.INVOICE_FINALISED.code(), "An invoice was finalised"));

    private WebhookEvents() {}

    static boolean carried(Happened.Kind kind) {
        return CARRIED.contains(kind);
    }

    public static boolean known(String code) {
        return TYPES.stream().anyMatch(t -> t.code().equals(code));
    }
}
