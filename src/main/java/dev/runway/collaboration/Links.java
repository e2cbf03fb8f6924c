package dev.runway.collaboration;

/**
 * Where a subject lives in the console (relative to its root), by the routes of the features that own the pages:
 * kept as paths so that the activity feature does not depend on their views.
 */
public final class Links {

    private Links() {}

    public static String path(String subjectType, long subjectId, Long projectId) {
        return switch (subjectType) {
            case "RUN" -> "runs/" + subjectId;
            case "DATASET_VERSION" -> "datasets/versions/" + subjectId;
            case "MODEL_VERSION" -> "models";
            case "BUDGET" -> "budget";
            case "INVOICE" -> "billing";
            case "WEBHOOK" -> "settings";
            case "PROJECT" -> "projects/" + subjectId;
            case "SCHEDULE" -> projectId == null ? "runs" : "projects/" + projectId;
            default -> "";
        };
    }
}
