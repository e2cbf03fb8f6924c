package dev.runway.training;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runway.base.BadInputException;
import dev.runway.dataset.DatasetService;
import dev.runway.dataset.DatasetVersion;
import dev.runway.project.ProjectService;
import dev.runway.tenancy.TenantContext;
import dev.runway.testing.TenancyFixture;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * A preparation saved before the split check existed (written here straight into the table) must not reach the queue
 * when its split leaves validation or test empty: a model measured on nothing would be registered.
 */
@QuarkusTest
class EmptySplitSubmitTest {

    @Inject
    RunService runs;

    @Inject
    DatasetService datasets;

    @Inject
    ProjectService projects;

    @Inject
    TenancyFixture fixture;

    @Inject
    EntityManager em;

    @Test
    void a_run_on_a_split_that_leaves_validation_empty_is_refused_at_submit() {
        TenancyFixture.Company company = fixture.company();
        long version = TenantContext.runAs(company.owner(), () -> {
            long project = projects.create(new ProjectService.ProjectForm("Tiny " + TenancyFixture.unique(), "", "",
                    true)).getId();
            try {
                DatasetVersion v = datasets.upload(project, "four", "four.csv", new ByteArrayInputStream(
                        "x,label\n1,a\n2,b\n3,a\n4,b\n".getBytes(StandardCharsets.UTF_8)));
                QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("update dataset_version set "
                                + "preparation = cast(:p as jsonb) where id = :id")
                        .setParameter("p", "{\"target\":\"label\",\"features\":[\"x\"],\"task\":\"CLASSIFICATION\","
                                + "\"trainRatio\":0.7,\"validationRatio\":0.1,\"testRatio\":0.2,\"seed\":42,"
                                + "\"missingValues\":\"IMPUTE\",\"standardize\":true}")
                        .setParameter("id", v.getId()).executeUpdate());
                return v.getId();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });

        assertThatThrownBy(() -> TenantContext.runAs(company.owner(), () -> runs.submit(new RunService.Submission(
                version, RunFixture.mlp(3), "auto", 50))))
                .isInstanceOf(BadInputException.class)
                .hasMessageContaining("a validation share of 0.1 leaves no row for validation");
    }
}
