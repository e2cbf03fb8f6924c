package dev.runway.tenancy.ui;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SessionSupportTest {

    @Test
    void a_forwarded_client_that_is_not_the_remote_address_means_forwarding_is_not_configured() {
        assertThat(SessionSupport.forwardingIgnored("10.0.0.2", "203.0.113.9, 10.0.0.2", null)).isTrue();
        assertThat(SessionSupport.forwardingIgnored("127.0.0.1", null, "for=\"[2001:db8::1]:443\";proto=https"))
                .isTrue();
        // Quarkus took the address from the headers, or there is no proxy.
        assertThat(SessionSupport.forwardingIgnored("203.0.113.9", "203.0.113.9, 10.0.0.2", null)).isFalse();
        assertThat(SessionSupport.forwardingIgnored("2001:db8::1", null, "for=\"[2001:db8::1]\"")).isFalse();
        assertThat(SessionSupport.forwardingIgnored("127.0.0.1", null, null)).isFalse();
    }
}
