package dev.runway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runway.api.ApiKeyService;
import dev.runway.tenancy.Role;
import dev.runway.testing.TenancyFixture;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code runway run --template AUTO --follow} against the console this test starts, with real training (Auto's trials
 * are ordinary runs): the CLI refuses what Auto chooses itself, then follows the search to the model it registered.
 */
@QuarkusTest
class CliAutoTest {

    private static final String BASE = "http://localhost:8081";

    @Inject
    TenancyFixture tenancy;

    @Inject
    ApiKeyService keys;

    @TempDir
    Path home;

    @Test
    void auto_is_followed_to_the_model_its_search_registered() throws Exception {
        TenancyFixture.Company company = tenancy.company();
        Path config = home.resolve("config.properties");
        assertThat(CliTest.runway(config, "login", "--server", BASE, "--key", CliTest.key(keys, company.owner(), Role.OWNER)).exit())
                .isZero();
        long project = CliTest.runway(config, "projects", "create", "Auto " + TenancyFixture.unique(), "--json").json()
                .get("id").asLong();
        long version = CliTest.runway(config, "upload", Path.of("samples", "iris.csv").toString(), "-d", "iris", "-p",
                Long.toString(project), "--json").json().get("id").asLong();
        assertThat(CliTest.runway(config, "prepare", Long.toString(version), "--target", "species", "--task",
                "CLASSIFICATION").exit()).isZero();

        CliTest.Ran refused = CliTest.runway(config, "run", "--dataset-version", Long.toString(version), "-t", "auto", "--set",
                "epochs=3");
        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.err()).contains("AUTO chooses the hyperparameters");

        CliTest.Ran auto = CliTest.runway(config, "run", "--dataset-version", Long.toString(version), "-t", "auto", "--time-limit",
                "10", "--follow", "--interval", "0.1");
        assertThat(auto.exit()).as(auto.out() + auto.err()).isZero();
        assertThat(auto.err()).contains("Started Auto ").contains("trials ended");
        assertThat(auto.out()).containsPattern("Auto \\d+ FINISHED: model version \\d+ \\(best trial \\d+\\)");
    }
}
