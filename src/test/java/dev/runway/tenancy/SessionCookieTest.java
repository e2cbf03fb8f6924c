package dev.runway.tenancy;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Set-Cookie header of a real HTTP answer: the session cookie is out of scripts' reach and stays on this site. */
@QuarkusTest
class SessionCookieTest {

    @TestHTTPResource("/login")
    URI login;

    @Test
    void the_session_cookie_is_http_only_and_same_site_lax() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(login).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        List<String> cookies = response.headers().allValues("Set-Cookie");
        assertThat(cookies).filteredOn(c -> c.startsWith("JSESSIONID=")).singleElement().satisfies(c -> {
            assertThat(c).containsIgnoringCase("; HttpOnly");
            assertThat(c).containsIgnoringCase("; SameSite=Lax");
            assertThat(c).doesNotContainIgnoringCase("Secure");
        });
    }
}
