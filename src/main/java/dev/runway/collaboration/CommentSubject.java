package dev.runway.collaboration;

import dev.runway.base.Happened;

/**
 * What a comment is on, as the feature that owns it describes it.
 *
 * @param label how people name it in one line, e.g. "model v3", "training run #12", "iris v2"
 */
public record CommentSubject(Type type, long id, long projectId, String label) {

    /** The records that take comments. */
    public enum Type {
        RUN(Happened.Subject.Type.RUN),
        MODEL_VERSION(Happened.Subject.Type.MODEL_VERSION),
        DATASET_VERSION(Happened.Subject.Type.DATASET_VERSION);

        private final Happened.Subject.Type happened;

        Type(Happened.Subject.Type happened) {
            this.happened = happened;
        }

        public Happened.Subject.Type happened() {
            return happened;
        }
    }
}
