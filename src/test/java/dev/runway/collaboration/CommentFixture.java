package dev.runway.collaboration;

import static org.awaitility.Awaitility.await;

import dev.runway.model.ModelService;
import dev.runway.tenancy.Actor;
import dev.runway.tenancy.Role;
import dev.runway.tenancy.TeamService;
import dev.runway.tenancy.TenantContext;
import dev.runway.testing.TenancyFixture;
import dev.runway.training.RunFixture;
import dev.runway.training.RunService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;

/** A company with one of each commentable subject (a finished run, its model version, its dataset version). */
@ApplicationScoped
public class CommentFixture {

    @Inject
    RunFixture runs;

    @Inject
    RunService runService;

    @Inject
    ModelService models;

    @Inject
    TeamService team;

    public record Subjects(TenancyFixture.Company company, long runId, long modelVersionId, long datasetVersionId) {}

    public record Member(Actor actor, String email, String name) {}

    public Subjects subjects() {
        RunFixture.Setup setup = runs.iris();
        Actor owner = setup.company().owner();
        long runId = TenantContext.runAs(owner, () -> runService.submit(new RunService.Submission(
                setup.versionId(), RunFixture.mlp(1), "cpu", 50)).getId());
        await().atMost(Duration.ofSeconds(90)).pollInSameThread().pollInterval(Duration.ofMillis(200))
                .until(() -> TenantContext.runAs(owner, () -> runService.get(runId).getStatus().finished()));
        long model = TenantContext.runAs(owner, () -> models.forRun(runId).orElseThrow().getId());
        return new Subjects(setup.company(), runId, model, setup.versionId());
    }

    /** A member called {@code name} (two members may share one), joined through a real invitation. */
    public Member member(TenancyFixture.Company company, String name, Role role) {
        String email = "member-" + TenancyFixture.unique() + "@example.com";
        String url = TenantContext.runAs(company.owner(), () -> team.invite(email, role)).url();
        Actor actor = TenantContext.runAs(new Actor(0, company.owner().tenantId()),
                () -> team.acceptInvitation(TenancyFixture.token(url), name, TenancyFixture.PASSWORD,
                        TenancyFixture.client()));
        return new Member(actor, email, name);
    }
}
