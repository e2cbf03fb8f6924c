/**
 * Comments on runs, model versions and dataset versions: Markdown rendered through an allow-list, @mentions of
 * members, edit and delete of one's own. Features whose records take comments implement {@link Commentable}.
 */
package dev.runway.comment;
