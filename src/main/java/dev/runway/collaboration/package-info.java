/**
 * The team's conversation and awareness. Comments on runs, model versions and dataset versions (Markdown rendered
 * through an allow-list, @mentions of members; features whose records take comments implement {@link Commentable}),
 * the activity feed, members' notifications (in the console and by mail), and live signals across nodes through
 * PostgreSQL LISTEN/NOTIFY. The feed and notifications are recorded from {@link dev.runway.base.Happened}.
 */
package dev.runway.collaboration;
