package dev.runway.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runway.base.BadInputException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The address rules with runway.webhooks.allow-private-addresses off, as everywhere but the test profile. */
class AddressesTest {

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "127.8.9.10", "10.1.2.3", "172.16.0.1", "172.31.255.254", "192.168.1.1",
            "169.254.169.254", "0.0.0.0", "0.1.2.3", "224.0.0.1", "255.255.255.255", "100.64.0.1",
            "100.100.100.200", "192.0.0.192", "198.18.0.1", "::1", "::", "fe80::1", "fc00::1", "fd00:ec2::254",
            "ff02::1", "::ffff:10.0.0.1", "::ffff:127.0.0.1", "64:ff9b::a9fe:a9fe", "2002:c0a8:0101::1",
            "::127.0.0.1"})
    void an_address_in_a_private_loopback_link_local_or_metadata_range_is_refused(String address) throws Exception {
        InetAddress parsed = InetAddress.getByName(address);
        assertThat(Addresses.refusedRange(parsed)).as(address).isNotNull();
        String host = address.contains(":") ? "[" + address + "]" : address;
        assertThatThrownBy(() -> Addresses.check("https://" + host + "/hooks", false))
                .isInstanceOfSatisfying(BadInputException.class, e -> {
                    assertThat(e.field()).isEqualTo("url");
                    assertThat(e.getMessage()).contains("Runway sends webhooks to public internet addresses only");
                });
    }

    @ParameterizedTest
    @ValueSource(strings = {"93.184.216.34", "8.8.8.8", "172.32.0.1", "100.128.0.1", "2606:4700:4700::1111"})
    void a_public_address_is_allowed(String address) throws Exception {
        assertThat(Addresses.refusedRange(InetAddress.getByName(address))).as(address).isNull();
        String host = address.contains(":") ? "[" + address + "]" : address;
        assertThat(Addresses.check("https://" + host + "/hooks", false).getHost()).isEqualTo(host);
    }

    @Test
    void a_name_is_judged_by_every_address_it_resolves_to() {
        Addresses.Resolver rebinding = host -> new InetAddress[] {InetAddress.getByName("93.184.216.34"),
                InetAddress.getByName("10.0.0.5")};
        assertThatThrownBy(() -> Addresses.check("https://hooks.example.com/x", false, rebinding))
                .hasMessage("The host hooks.example.com is at 10.0.0.5, a private address. Runway sends webhooks to "
                        + "public internet addresses only");
        Addresses.Resolver unknown = host -> {
            throw new UnknownHostException(host);
        };
        assertThatThrownBy(() -> Addresses.check("https://nowhere.invalid/x", false, unknown))
                .hasMessage("The host nowhere.invalid could not be found: check the spelling");
        Addresses.Resolver metadata = host -> new InetAddress[] {InetAddress.getByName("169.254.169.254")};
        assertThatThrownBy(() -> Addresses.check("http://metadata.google.internal/computeMetadata/v1/", false,
                metadata)).hasMessageContaining("link-local address (cloud metadata services live there)");
        assertThatThrownBy(() -> Addresses.check("http://localhost:8080/hooks", false))
                .hasMessageContaining("a loopback address");
    }

    @Test
    void only_absolute_http_and_https_urls_without_credentials_are_accepted() {
        assertThatThrownBy(() -> Addresses.parse("ftp://example.com/x"))
                .hasMessage("Use an http:// or https:// URL (https is recommended); ftp: URLs are not called");
        assertThatThrownBy(() -> Addresses.parse("file:///etc/passwd")).hasMessageStartingWith("Use an http://");
        assertThatThrownBy(() -> Addresses.parse("example.com/hooks")).hasMessageStartingWith("Use an http://");
        assertThatThrownBy(() -> Addresses.parse("https:///hooks")).hasMessageStartingWith("The URL needs a host");
        assertThatThrownBy(() -> Addresses.parse("")).hasMessageStartingWith("URL is required");
        assertThatThrownBy(() -> Addresses.parse("https://exa mple.com/")).hasMessageStartingWith("This is not a valid URL");
        assertThatThrownBy(() -> Addresses.parse("https://a:b@example.com/")).hasMessageStartingWith("Put no user name");
        assertThat(Addresses.check("http://127.0.0.1:9/x", true).getPort()).isEqualTo(9);
    }

    @Test
    void the_answer_snippet_is_at_most_one_kilobyte_of_plain_text() {
        byte[] body = ("ok\u0000\u0007\u001b[0m\r\n<b>" + "é".repeat(2000)).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        String snippet = WebhookSender.snippet(java.util.Arrays.copyOf(body, 1024));
        assertThat(snippet).startsWith("ok").doesNotContain("\u0000", "\u0007", "\u001b", "\r")
                .hasSizeLessThanOrEqualTo(1024);
    }
}
