package dev.runway.tenancy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ThrottleTest {

    @Test
    void an_ipv6_client_is_counted_by_its_64_network_and_other_addresses_as_they_are() {
        assertThat(Throttle.network("2001:db8:1:2:aaaa:bbbb:cccc:1")).isEqualTo("2001:db8:1:2::/64");
        assertThat(Throttle.network("[2001:DB8:1:2::5]")).isEqualTo("2001:db8:1:2::/64");
        assertThat(Throttle.network("fe80::1%eth0")).isEqualTo("fe80:0:0:0::/64");
        assertThat(Throttle.network("::ffff:192.0.2.1")).isEqualTo("192.0.2.1");
        assertThat(Throttle.network("192.0.2.1")).isEqualTo("192.0.2.1");
        assertThat(Throttle.network("fixture-7")).isEqualTo("fixture-7");
        assertThat(Throttle.client("2001:db8:1:2::1")).isEqualTo(Throttle.client("2001:db8:1:2:ffff::9"));
        assertThat(Throttle.client("2001:db8:1:2::1")).isNotEqualTo(Throttle.client("2001:db8:1:3::1"));
        assertThat(Throttle.account("a".repeat(400) + "@example.com", "x".repeat(400)).name()).hasSize(300);
    }
}
