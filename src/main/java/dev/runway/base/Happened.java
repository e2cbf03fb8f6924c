package dev.runway.base;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Something a team wants to hear about: a CDI event fired inside the transaction that made it so, by the feature
 * where it happened. The activity feed, notifications and webhooks observe it in that same transaction, so what
 * they record commits or rolls back with the change itself (an outbox: nothing is announced that did not happen).
 *
 * @param tenantId  the company
 * @param kind      what happened
 * @param projectId the project it belongs to; null for the company as a whole (a company budget, an invoice)
 * @param subject   what it happened to
 * @param actorId   the member who did it; null when Runway itself did (a run finishing, a budget alert)
 * @param summary   one line for people, e.g. "Run #12 (MLP) finished: accuracy 0.962"
 * @param addressed members addressed directly: mentioned, asked to approve, the run's owner. Their notification
 *                  settings still apply
 * @param facts     the subject's facts for machines (webhook payloads): plain values, lists and maps; a null
 *                  value is left out (a company budget has no project)
 */
public record Happened(long tenantId, Kind kind, Long projectId, Subject subject, Long actorId, String summary,
        Set<Long> addressed, Map<String, Object> facts) {

    public Happened {
        addressed = addressed == null ? Set.of() : Set.copyOf(addressed);
        Map<String, Object> known = new LinkedHashMap<>();
        if (facts != null) {
            facts.forEach((name, value) -> {
                if (value != null) {
                    known.put(name, value);
                }
            });
        }
        facts = Collections.unmodifiableMap(known);
    }

    /** What a happening is about: a run, a model version, a dataset version, a budget, a schedule, an invoice… */
    public record Subject(Type type, long id, String label) {

        public enum Type { RUN, MODEL_VERSION, DATASET_VERSION, BUDGET, SCHEDULE, INVOICE, WEBHOOK, PROJECT }
    }

    /** The kinds of happening; {@link #code} is the name webhooks and the API use. */
    public enum Kind {
        RUN_STARTED("run.started"),
        RUN_FINISHED("run.finished"),
        RUN_FAILED("run.failed"),
        RUN_CANCELLED("run.cancelled"),
        MODEL_STAGE_CHANGED("model.stage_changed"),
        MODEL_ALIAS_MOVED("model.alias_moved"),
        MODEL_APPROVAL_REQUESTED("model.approval_requested"),
        COMMENT_ADDED("comment.added"),
        DATASET_VERSION_ADDED("dataset.version_added"),
        BUDGET_THRESHOLD("budget.threshold"),
        SCHEDULE_PAUSED("schedule.paused"),
        INVOICE_FINALISED("invoice.finalised"),
        WEBHOOK_DISABLED("webhook.disabled");

        private final String code;

        Kind(String code) {
            this.code = code;
        }

        public String code() {
            return code;
        }
    }
}
