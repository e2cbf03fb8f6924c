package dev.runway.tenancy;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** With runway.session.secure-cookie on (the production profile), the session cookie is also Secure. */
@QuarkusTest
@TestProfile(SecureSessionCookieTest.Https.class)
class SecureSessionCookieTest {

    public static class Https implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("runway.session.secure-cookie", "true");
        }
    }

    @TestHTTPResource("/login")
    URI login;

    @Test
    void the_session_cookie_is_secure_as_well() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(login).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.headers().allValues("Set-Cookie")).filteredOn(c -> c.startsWith("JSESSIONID="))
                .singleElement().satisfies(c -> assertThat(c).contains("; secure", "; HttpOnly", "; SameSite=Lax"));
    }
}
