package dev.runway.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WebhookEndpointTest {

    @Test
    void a_reason_quoting_a_long_answer_is_cut_to_its_column_so_switching_off_can_commit() {
        WebhookEndpoint endpoint = new WebhookEndpoint("https://example.com/hook", "", Set.of("run.finished"),
                "whsec_x", 1L, Instant.EPOCH);
        endpoint.disable("Switched off (last: Redirect (HTTP 302) to https://x/" + "a".repeat(2_000) + ")",
                Instant.EPOCH);

        assertThat(endpoint.getDisabledReason()).hasSize(WebhookEndpoint.REASON_MAX).endsWith("…");
    }
}
