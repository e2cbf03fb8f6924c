package dev.runway.collaboration;

import dev.runway.base.Happened.Kind;
import dev.runway.tenancy.Permission;
import dev.runway.tenancy.Role;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * What a member can switch on or off, each with its defaults: in the console always, by mail only for what asks the
 * member to act or that costs money (mentions, approvals, budget alerts, a disabled webhook).
 */
public enum NotificationCategory {
    MENTIONS("Mentions of me", true, true, EnumSet.of(Kind.COMMENT_ADDED), null),
    MY_RUNS("My runs finished or failed, my schedules paused", true, false,
            EnumSet.of(Kind.RUN_FINISHED, Kind.RUN_FAILED, Kind.SCHEDULE_PAUSED), null),
    STAGE_CHANGES("Stage changes in my projects", true, false,
            EnumSet.of(Kind.MODEL_STAGE_CHANGED, Kind.MODEL_ALIAS_MOVED), null),
    APPROVALS("Approval requests", true, true, EnumSet.of(Kind.MODEL_APPROVAL_REQUESTED), null),
    BUDGET_ALERTS("Budget alerts", true, true, EnumSet.of(Kind.BUDGET_THRESHOLD), Permission.MANAGE_BUDGET),
    WEBHOOKS("Webhooks switched off (admins)", true, true, EnumSet.of(Kind.WEBHOOK_DISABLED),
            Permission.MANAGE_SETTINGS);

    private final String label;
    private final boolean inAppByDefault;
    private final boolean emailByDefault;
    private final Set<Kind> kinds;
    private final Permission audience;

    NotificationCategory(String label, boolean inAppByDefault, boolean emailByDefault, Set<Kind> kinds,
            Permission audience) {
        this.label = label;
        this.inAppByDefault = inAppByDefault;
        this.emailByDefault = emailByDefault;
        this.kinds = kinds;
        this.audience = audience;
    }

    /** The category a kind notifies under; empty for what only goes to the feed (runs started, uploads, invoices). */
    public static Optional<NotificationCategory> of(Kind kind) {
        return Arrays.stream(values()).filter(c -> c.kinds.contains(kind)).findFirst();
    }

    public String label() {
        return label;
    }

    public boolean inAppByDefault() {
        return inAppByDefault;
    }

    public boolean emailByDefault() {
        return emailByDefault;
    }

    /** Roles whose members hear of this category whether addressed or not (budget alerts: who manages budgets). */
    String[] audienceRoles() {
        if (audience == null) {
            return new String[0];
        }
        return Arrays.stream(Role.values()).filter(r -> r.allows(audience)).map(Role::name).toArray(String[]::new);
    }

    /** Whether the project's followers hear of it ("my projects"). */
    boolean toFollowers() {
        return this == STAGE_CHANGES;
    }

    /** Whether {@code role} hears of this category at all (budget alerts: who manages budgets; webhooks: admins). */
    public boolean offeredTo(Role role) {
        return audience == null || role.allows(audience);
    }
}
