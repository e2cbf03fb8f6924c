package dev.runway.collaboration;

/**
 * Implemented by each feature whose records take comments (runs, model versions, dataset versions), so that comments
 * learn whether a subject exists and which project it belongs to by asking its owner, and depend on no feature.
 */
public interface Commentable {

    CommentSubject.Type type();

    /**
     * The subject with {@code id} in the current company, read with the caller's permission to read it; fails with
     * {@link dev.runway.base.NotFoundException} when there is none (another company's looks exactly the same).
     */
    CommentSubject subject(long id);
}
