/**
 * The comment thread with its @mention composer, the bell, the notifications page, the activity feeds and the
 * dashboard's activity blocks.
 */
package dev.runway.collaboration.ui;
