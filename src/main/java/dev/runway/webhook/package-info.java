/**
 * Webhooks: a company's endpoints and the signed, durable delivery of its events to them. An observer of
 * {@link dev.runway.base.Happened} writes one delivery per subscribed endpoint in the transaction of the change (an
 * outbox); a db-scheduler task of its own sends it, retries with back-off and switches off an endpoint that keeps failing.
 */
package dev.runway.webhook;
