/**
 * The activity feed, members' notifications (in the console and by mail) and live signals across nodes through
 * PostgreSQL LISTEN/NOTIFY: everything here is recorded from {@link dev.runway.base.Happened}.
 */
package dev.runway.activity;
