/** The comment thread and its composer with @mention completion, placed on the pages of commentable records. */
package dev.runway.comment.ui;
