package dev.runway.webhook;

/**
 * The payload of a delivery's task in db-scheduler: ids only. {@code series} is the delivery's redelivery count when
 * the task was queued; a task of an earlier series does nothing.
 */
public record DeliveryRef(long tenantId, long deliveryId, int series) {

    String instanceId() {
        return tenantId + "-" + deliveryId + "-" + series;
    }
}
