package dev.runway.webhook;

import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The webhook settings (README, "Configuration"; docs/webhooks.md). A singleton: read on every try, no proxy. */
@Singleton
public class WebhookSettings {

    /** Off everywhere but the test profile: the tests' receiver listens on loopback. */
    @ConfigProperty(name = "runway.webhooks.allow-private-addresses", defaultValue = "false")
    boolean allowPrivateAddresses;

    /** The waits between tries; one try more than there are delays. The default: 8 tries over about a day. */
    @ConfigProperty(name = "runway.webhooks.retry-delays", defaultValue = "1m,5m,30m,2h,5h,8h,8h")
    List<Duration> retryDelays;

    /** An endpoint is switched off after this many deliveries in a row were given up… */
    @ConfigProperty(name = "runway.webhooks.disable-after-failed-deliveries", defaultValue = "5")
    int disableAfterFailedDeliveries;

    /** …or when every attempt has failed for this long. */
    @ConfigProperty(name = "runway.webhooks.disable-after", defaultValue = "24h")
    Duration disableAfter;

    @ConfigProperty(name = "runway.webhooks.connect-timeout", defaultValue = "3s")
    Duration connectTimeout;

    /** The whole request, from connecting to the first KB of the answer. */
    @ConfigProperty(name = "runway.webhooks.request-timeout", defaultValue = "10s")
    Duration requestTimeout;

    /** Deliveries sent at once by this node. */
    @ConfigProperty(name = "runway.webhooks.threads", defaultValue = "4")
    int threads;

    /** Whether this node sends deliveries (every node may; outbox rows are written wherever events happen). */
    @ConfigProperty(name = "runway.webhooks.enabled", defaultValue = "true")
    boolean enabled;

    public boolean allowPrivateAddresses() {
        return allowPrivateAddresses;
    }

    public int tries() {
        return retryDelays.size() + 1;
    }

    /** The wait after failed try number {@code attempt} (1-based). */
    Duration delayAfter(int attempt) {
        return retryDelays.get(Math.min(attempt, retryDelays.size()) - 1);
    }

    public List<Duration> retryDelays() {
        return retryDelays;
    }
}
