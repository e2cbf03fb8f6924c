package dev.runway.collaboration.ui;

import dev.runway.base.Happened.Kind;

/** How a kind of happening reads in a filter. */
final class KindLabels {

    private KindLabels() {}

    static String label(Kind kind) {
        return switch (kind) {
            case RUN_STARTED -> "Runs started";
            case RUN_FINISHED -> "Runs finished";
            case RUN_FAILED -> "Runs failed";
            case RUN_CANCELLED -> "Runs cancelled";
            case MODEL_STAGE_CHANGED -> "Stage changes";
            case MODEL_ALIAS_MOVED -> "Aliases moved";
            case MODEL_APPROVAL_REQUESTED -> "Approval requests";
            case COMMENT_ADDED -> "Comments";
            case DATASET_VERSION_ADDED -> "Uploads";
            case BUDGET_THRESHOLD -> "Budget alerts";
            case SCHEDULE_PAUSED -> "Schedules paused";
            case INVOICE_FINALISED -> "Invoices";
            case WEBHOOK_DISABLED -> "Webhooks switched off";
        };
    }
}
