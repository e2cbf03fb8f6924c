package dev.runway.model;

import static dev.runway.testing.Acting.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runway.base.AccessDeniedException;
import dev.runway.base.BadInputException;
import dev.runway.base.Happened;
import dev.runway.base.NotFoundException;
import dev.runway.tenancy.Actor;
import dev.runway.tenancy.Role;
import dev.runway.testing.HappenedRecorder;
import dev.runway.testing.TenancyFixture;
import dev.runway.testing.TestClock;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Stages, rules, four eyes, the metric gate, rollback, aliases and "what was in Production at T". */
@QuarkusTest
class ModelLifecycleTest {

    @Inject
    ModelFixture fixture;

    @Inject
    TenancyFixture tenancy;

    @Inject
    ModelLifecycle lifecycle;

    @Inject
    ModelService models;

    @Inject
    HappenedRecorder happened;

    @Inject
    TestClock clock;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    @Test
    void by_default_engineers_promote_analysts_stage_only_and_viewers_and_billing_nothing() {
        ModelFixture.Setup s = fixture.project(0.9, 0.91);
        Actor engineer = tenancy.member(s.company(), Role.ENGINEER);
        Actor analyst = tenancy.member(s.company(), Role.ANALYST);
        Actor viewer = tenancy.member(s.company(), Role.VIEWER);
        Actor billing = tenancy.member(s.company(), Role.BILLING);

        assertThat(as(analyst, () -> lifecycle.changeStage(s.v(1), ModelStage.STAGING, "looks fine")).made())
                .isTrue();
        assertThatThrownBy(() -> as(analyst, () -> lifecycle.changeStage(s.v(1), ModelStage.PRODUCTION, "ship")))
                .isInstanceOf(AccessDeniedException.class)
                .hasMessage("Your role (Analyst) may not move versions of this project to Production; this project's "
                        + "rules allow Owner, Admin, Engineer");
        assertThatThrownBy(() -> as(viewer, () -> lifecycle.changeStage(s.v(2), ModelStage.STAGING, "try")))
                .isInstanceOf(AccessDeniedException.class);
        assertThatThrownBy(() -> as(billing, () -> lifecycle.changeStage(s.v(2), ModelStage.STAGING, "try")))
                .isInstanceOf(AccessDeniedException.class);
        assertThat(as(engineer, () -> lifecycle.changeStage(s.v(1), ModelStage.PRODUCTION, "ship it")).made())
                .isTrue();
        // Taking a version out of Production is a Production move: the analyst may not archive it.
        assertThatThrownBy(() -> as(analyst, () -> lifecycle.changeStage(s.v(1), ModelStage.ARCHIVED, "old")))
                .isInstanceOf(AccessDeniedException.class).hasMessageContaining("out of Production");
        assertThat(as(s.owner(), () -> models.get(s.v(1))).getStage()).isEqualTo(ModelStage.PRODUCTION);
    }

    @Test
    void every_change_needs_a_comment_and_a_real_change() {
        ModelFixture.Setup s = fixture.project(0.9);
        assertThatThrownBy(() -> as(s.owner(), () -> lifecycle.changeStage(s.v(1), ModelStage.STAGING, "  ")))
                .isInstanceOf(BadInputException.class).hasMessage("A comment (why) is required");
        as(s.owner(), () -> lifecycle.changeStage(s.v(1), ModelStage.STAGING, "first"));
        assertThatThrownBy(() -> as(s.owner(), () -> lifecycle.changeStage(s.v(1), ModelStage.STAGING, "again")))
                .isInstanceOf(BadInputException.class).hasMessage("Version 1 is already in Staging");
    }

    @Test
    void promotion_to_production_archives_the_previous_version_and_records_both_changes() {
        ModelFixture.Setup s = fixture.project(0.9, 0.93);
        as(s.owner(), () -> lifecycle.changeStage(s.v(1), ModelStage.PRODUCTION, "first release"));
        as(s.owner(), () -> lifecycle.changeStage(s.v(2), ModelStage.PRODUCTION, "better f1"));

        assertThat(as(s.owner(), () -> models.get(s.v(1))).getStage()).isEqualTo(ModelStage.ARCHIVED);
        assertThat(as(s.owner(), () -> models.get(s.v(2))).getStage()).isEqualTo(ModelStage.PRODUCTION);
        List<ModelLifecycle.TimelineEntry> timeline = as(s.owner(), () -> lifecycle.timeline(s.projectId()));
        assertThat(timeline).extracting(e -> "v" + e.version() + " " + e.event().getFromStage() + "→"
                        + e.event().getToStage() + " " + e.event().getComment())
                .containsExactly("v2 NONE→PRODUCTION better f1", "v1 PRODUCTION→ARCHIVED better f1",
                        "v1 NONE→PRODUCTION first release");
        assertThat(timeline.get(0).actor()).startsWith("Owner ");

        Happened change = happened.about(Happened.Subject.Type.MODEL_VERSION, s.v(2)).get(0);
        assertThat(change.kind()).isEqualTo(Happened.Kind.MODEL_STAGE_CHANGED);
        assertThat(change.actorId()).isEqualTo(s.owner().userId());
        assertThat(change.facts()).containsEntry("versionId", s.v(2)).containsEntry("version", 2)
                .containsEntry("projectId", s.projectId()).containsEntry("from", "NONE")
                .containsEntry("to", "PRODUCTION").containsEntry("comment", "better f1");
        assertThat(happened.about(Happened.Subject.Type.MODEL_VERSION, s.v(1))).extracting(h -> h.facts().get("to"))
                .containsExactly("PRODUCTION", "ARCHIVED");
    }

    @Test
    void promotion_rules_are_edited_by_owners_and_admins_only() {
        ModelFixture.Setup s = fixture.project(0.9);
        Actor admin = tenancy.member(s.company(), Role.ADMIN);
        Actor engineer = tenancy.member(s.company(), Role.ENGINEER);
        PromotionRules strict = new PromotionRules(EnumSet.of(Role.ADMIN), EnumSet.of(Role.OWNER), 1, null);

        assertThat(as(engineer, () -> lifecycle.rules(s.projectId()))).isEqualTo(PromotionRules.DEFAULTS);
        assertThatThrownBy(() -> as(engineer, () -> lifecycle.saveRules(s.projectId(), strict)))
                .isInstanceOf(AccessDeniedException.class);
        as(admin, () -> lifecycle.saveRules(s.projectId(), strict));
        assertThat(as(engineer, () -> lifecycle.rules(s.projectId()))).isEqualTo(strict);
        assertThatThrownBy(() -> as(engineer, () -> lifecycle.changeStage(s.v(1), ModelStage.STAGING, "try")))
                .isInstanceOf(AccessDeniedException.class).hasMessageEndingWith("this project's rules allow Admin");
        assertThatThrownBy(() -> as(admin, () -> lifecycle.saveRules(s.projectId(),
                new PromotionRules(EnumSet.noneOf(Role.class), EnumSet.of(Role.OWNER), 0, null))))
                .isInstanceOf(BadInputException.class).extracting(e -> ((BadInputException) e).field())
                .isEqualTo("stagingRoles");
    }

    @Test
    void four_eyes_the_requester_cannot_approve_and_the_approval_makes_the_change_naming_both() {
        ModelFixture.Setup s = fixture.project(0.9, 0.95);
        Actor alice = tenancy.member(s.company(), Role.ENGINEER);
        Actor bob = tenancy.member(s.company(), Role.ENGINEER);
        Actor analyst = tenancy.member(s.company(), Role.ANALYST);
        as(s.owner(), () -> lifecycle.saveRules(s.projectId(), new PromotionRules(PromotionRules.DEFAULTS
                .stagingRoles(), PromotionRules.DEFAULTS.productionRoles(), 1, null)));
        as(s.owner(), () -> lifecycle.changeStage(s.v(1), ModelStage.PRODUCTION, "first"))
                .pending().getId();
        as(bob, () -> lifecycle.approve(s.v(1), "ok"));

        ModelLifecycle.Outcome asked = as(alice, () -> lifecycle.changeStage(s.v(2), ModelStage.PRODUCTION,
                "f1 up 5 points"));
        assertThat(asked.made()).isFalse();
        assertThat(as(alice, () -> models.get(s.v(2))).getStage()).isEqualTo(ModelStage.NONE);
        Happened request = happened.about(Happened.Subject.Type.MODEL_VERSION, s.v(2)).get(0);
        assertThat(request.kind()).isEqualTo(Happened.Kind.MODEL_APPROVAL_REQUESTED);
        assertThat(request.addressed()).contains(bob.userId(), s.owner().userId())
                .doesNotContain(alice.userId(), analyst.userId());
        assertThatThrownBy(() -> as(alice, () -> lifecycle.changeStage(s.v(2), ModelStage.PRODUCTION, "again")))
                .isInstanceOf(BadInputException.class).hasMessageContaining("already waiting for approval");

        ModelLifecycle.Pending pending = as(bob, () -> lifecycle.pending(s.v(2))).orElseThrow();
        assertThat(pending.mayApprove()).isTrue();
        assertThat(as(alice, () -> lifecycle.pending(s.v(2))).orElseThrow().mayApprove()).isFalse();
        assertThatThrownBy(() -> as(alice, () -> lifecycle.approve(s.v(2), "me")))
                .isInstanceOf(AccessDeniedException.class)
                .hasMessage("You asked for this change: another member must approve it");
        assertThatThrownBy(() -> as(analyst, () -> lifecycle.approve(s.v(2), "me")))
                .isInstanceOf(AccessDeniedException.class);

        assertThat(as(bob, () -> lifecycle.approve(s.v(2), "checked the eval")).made()).isTrue();
        assertThat(as(bob, () -> models.get(s.v(2))).getStage()).isEqualTo(ModelStage.PRODUCTION);
        assertThat(as(bob, () -> models.get(s.v(1))).getStage()).isEqualTo(ModelStage.ARCHIVED);
        assertThat(as(bob, () -> lifecycle.pending(s.v(2)))).isEmpty();
        ModelLifecycle.TimelineEntry made = as(bob, () -> lifecycle.timeline(s.projectId())).get(0);
        assertThat(made.event().getActorId()).isEqualTo(alice.userId());
        assertThat(made.event().getComment()).isEqualTo("f1 up 5 points");
        assertThat(made.approvers()).containsExactly(made.approvers().get(0)).allMatch(n -> n.contains("engineer"));
        Happened change = happened.about(Happened.Subject.Type.MODEL_VERSION, s.v(2)).get(1);
        assertThat(change.kind()).isEqualTo(Happened.Kind.MODEL_STAGE_CHANGED);
        assertThat(change.actorId()).isEqualTo(bob.userId());
        assertThat(change.facts()).containsEntry("requestedBy", alice.userId())
                .containsEntry("approvedBy", List.of(bob.userId()));
        assertThat(change.addressed()).containsExactly(alice.userId());
    }

    @Test
    void two_approvals_need_two_different_approvers_and_a_rejection_ends_a_request() {
        ModelFixture.Setup s = fixture.project(0.9, 0.95);
        Actor alice = tenancy.member(s.company(), Role.ENGINEER);
        Actor bob = tenancy.member(s.company(), Role.ENGINEER);
        as(s.owner(), () -> lifecycle.saveRules(s.projectId(), new PromotionRules(PromotionRules.DEFAULTS
                .stagingRoles(), PromotionRules.DEFAULTS.productionRoles(), 2, null)));
        as(alice, () -> lifecycle.changeStage(s.v(1), ModelStage.PRODUCTION, "ship"));
        assertThat(as(bob, () -> lifecycle.approve(s.v(1), "yes")).made()).isFalse();
        assertThatThrownBy(() -> as(bob, () -> lifecycle.approve(s.v(1), "yes again")))
                .isInstanceOf(BadInputException.class).hasMessage("You have already approved this request");
        assertThat(as(s.owner(), () -> lifecycle.approve(s.v(1), "yes")).made()).isTrue();
        assertThat(as(s.owner(), () -> lifecycle.timeline(s.projectId())).get(0).approvers()).hasSize(2);

        as(alice, () -> lifecycle.changeStage(s.v(2), ModelStage.PRODUCTION, "ship v2"));
        as(bob, () -> lifecycle.reject(s.v(2), "eval is stale"));
        assertThat(as(bob, () -> lifecycle.pending(s.v(2)))).isEmpty();
        assertThat(as(bob, () -> models.get(s.v(2))).getStage()).isEqualTo(ModelStage.NONE);
        assertThatThrownBy(() -> as(bob, () -> lifecycle.approve(s.v(2), "late")))
                .isInstanceOf(BadInputException.class).hasMessage("Version 2 has no pending request to approve");
    }

    @Test
    void the_metric_gate_blocks_promotion_naming_the_figure_and_reads_the_latest_evaluation_first() {
        ModelFixture.Setup s = fixture.project(0.912, 0.97);
        as(s.owner(), () -> lifecycle.saveRules(s.projectId(), new PromotionRules(PromotionRules.DEFAULTS
                .stagingRoles(), PromotionRules.DEFAULTS.productionRoles(), 0,
                new PromotionRules.Gate("accuracy", PromotionRules.Operator.GTE, 0.95))));

        assertThatThrownBy(() -> as(s.owner(), () -> lifecycle.changeStage(s.v(1), ModelStage.PRODUCTION, "go")))
                .isInstanceOf(BadInputException.class)
                .hasMessage("Test accuracy is 0.912, below this project's gate of ≥ 0.95");
        assertThat(as(s.owner(), () -> models.get(s.v(1))).getStage()).isEqualTo(ModelStage.NONE);
        // Staging has no gate.
        as(s.owner(), () -> lifecycle.changeStage(s.v(1), ModelStage.STAGING, "try it"));

        // An evaluation counts over the test metrics: v2 tested well but evaluated badly on newer data.
        long evaluation = fixture.evaluation(s.owner(), s.v(2), "{\"accuracy\": 0.9, \"mse\": 0.4}");
        assertThatThrownBy(() -> as(s.owner(), () -> lifecycle.changeStage(s.v(2), ModelStage.PRODUCTION, "go")))
                .isInstanceOf(BadInputException.class)
                .hasMessage("Evaluation (run #" + evaluation + ", dataset version #" + s.datasetVersionId()
                        + ") accuracy is 0.9, below this project's gate of ≥ 0.95");
        // An evaluation on another dataset (a hand-picked easy table) does not count.
        fixture.evaluation(s.owner(), s.v(2), fixture.otherDataset(s.owner(), s.projectId()), "{\"accuracy\": 0.99}");
        assertThatThrownBy(() -> as(s.owner(), () -> lifecycle.changeStage(s.v(2), ModelStage.PRODUCTION, "go")))
                .hasMessageStartingWith("Evaluation (run #" + evaluation + ", dataset version #");
        fixture.evaluation(s.owner(), s.v(1), "{\"accuracy\": 0.96}");
        assertThat(as(s.owner(), () -> lifecycle.changeStage(s.v(1), ModelStage.PRODUCTION, "evaluated")).made())
                .isTrue();

        as(s.owner(), () -> lifecycle.saveRules(s.projectId(), new PromotionRules(PromotionRules.DEFAULTS
                .stagingRoles(), PromotionRules.DEFAULTS.productionRoles(), 0,
                new PromotionRules.Gate("mse", PromotionRules.Operator.LTE, 0.25))));
        assertThatThrownBy(() -> as(s.owner(), () -> lifecycle.changeStage(s.v(2), ModelStage.PRODUCTION, "go")))
                .hasMessage("Evaluation (run #" + evaluation + ", dataset version #" + s.datasetVersionId()
                        + ") MSE is 0.4, above this project's gate of ≤ 0.25");
    }

    @Test
    void the_gate_is_checked_again_by_the_last_approval_and_a_refused_approval_leaves_the_request_pending() {
        ModelFixture.Setup s = fixture.project(0.912);
        Actor alice = tenancy.member(s.company(), Role.ENGINEER);
        as(s.owner(), () -> lifecycle.saveRules(s.projectId(), new PromotionRules(PromotionRules.DEFAULTS
                .stagingRoles(), PromotionRules.DEFAULTS.productionRoles(), 1, null)));
        as(alice, () -> lifecycle.changeStage(s.v(1), ModelStage.PRODUCTION, "ship"));
        as(s.owner(), () -> lifecycle.saveRules(s.projectId(), new PromotionRules(PromotionRules.DEFAULTS
                .stagingRoles(), PromotionRules.DEFAULTS.productionRoles(), 3,
                new PromotionRules.Gate("accuracy", PromotionRules.Operator.GTE, 0.95))));

        // The request keeps the count it was made with (1), but the gate applies when the change would be made.
        assertThatThrownBy(() -> as(s.owner(), () -> lifecycle.approve(s.v(1), "ok")))
                .isInstanceOf(BadInputException.class)
                .hasMessage("Test accuracy is 0.912, below this project's gate of ≥ 0.95");
        ModelLifecycle.Pending pending = as(s.owner(), () -> lifecycle.pending(s.v(1))).orElseThrow();
        assertThat(pending.approvers()).isEmpty();
        assertThat(pending.request().getApprovalsRequired()).isEqualTo(1);
        assertThat(as(s.owner(), () -> models.get(s.v(1))).getStage()).isEqualTo(ModelStage.NONE);
    }

    @Test
    void rollback_puts_the_previous_production_version_back_and_archives_the_current_one() {
        ModelFixture.Setup s = fixture.project(0.9, 0.95, 0.96);
        Actor analyst = tenancy.member(s.company(), Role.ANALYST);
        assertThatThrownBy(() -> as(s.owner(), () -> lifecycle.rollback(s.projectId(), "nothing yet")))
                .isInstanceOf(BadInputException.class).hasMessage("No earlier Production version to roll back to");
        as(s.owner(), () -> lifecycle.changeStage(s.v(1), ModelStage.PRODUCTION, "v1"));
        as(s.owner(), () -> lifecycle.changeStage(s.v(2), ModelStage.PRODUCTION, "v2"));
        as(s.owner(), () -> lifecycle.changeStage(s.v(3), ModelStage.PRODUCTION, "v3"));
        assertThat(as(s.owner(), () -> lifecycle.rollbackTarget(s.projectId()))).map(ModelVersion::getVersion)
                .contains(2);
        assertThatThrownBy(() -> as(analyst, () -> lifecycle.rollback(s.projectId(), "bad")))
                .isInstanceOf(AccessDeniedException.class);

        assertThat(as(s.owner(), () -> lifecycle.rollback(s.projectId(), "v3 drifts")).getVersion()).isEqualTo(2);
        assertThat(as(s.owner(), () -> models.get(s.v(2))).getStage()).isEqualTo(ModelStage.PRODUCTION);
        assertThat(as(s.owner(), () -> models.get(s.v(3))).getStage()).isEqualTo(ModelStage.ARCHIVED);
        assertThat(as(s.owner(), () -> lifecycle.timeline(s.projectId())).get(0).event().getComment())
                .isEqualTo("Rollback: v3 drifts");
        // A second rollback goes back to v3 (the version before the current one), not further into the past.
        assertThat(as(s.owner(), () -> lifecycle.rollback(s.projectId(), "undo")).getVersion()).isEqualTo(3);
    }

    @Test
    void production_at_answers_from_the_history_before_between_and_after_changes() {
        ModelFixture.Setup s = fixture.project(0.9, 0.95);
        Instant before = clock.instant();
        clock.advance(Duration.ofHours(1));
        as(s.owner(), () -> lifecycle.changeStage(s.v(1), ModelStage.PRODUCTION, "v1"));
        Instant t1 = clock.instant();
        clock.advance(Duration.ofHours(1));
        as(s.owner(), () -> lifecycle.changeStage(s.v(2), ModelStage.PRODUCTION, "v2"));
        Instant t2 = clock.instant();
        clock.advance(Duration.ofHours(1));
        as(s.owner(), () -> lifecycle.changeStage(s.v(2), ModelStage.ARCHIVED, "retired"));

        assertThat(as(s.owner(), () -> lifecycle.productionAt(s.projectId(), before))).isEmpty();
        assertThat(as(s.owner(), () -> lifecycle.productionAt(s.projectId(), t1.plusSeconds(60))))
                .map(ModelVersion::getVersion).contains(1);
        assertThat(as(s.owner(), () -> lifecycle.productionAt(s.projectId(), t2.minusSeconds(60))))
                .map(ModelVersion::getVersion).contains(1);
        assertThat(as(s.owner(), () -> lifecycle.productionAt(s.projectId(), t2.plusSeconds(60))))
                .map(ModelVersion::getVersion).contains(2);
        assertThat(as(s.owner(), () -> lifecycle.productionAt(s.projectId(), clock.instant()))).isEmpty();
        assertThat(as(s.owner(), () -> lifecycle.production(s.projectId()))).isEmpty();
    }

    @Test
    void an_alias_points_at_one_version_at_a_time_and_its_moves_are_kept() {
        ModelFixture.Setup s = fixture.project(0.9, 0.95);
        Actor viewer = tenancy.member(s.company(), Role.VIEWER);
        as(s.owner(), () -> lifecycle.setAlias(s.v(1), "champion", "best so far"));
        as(s.owner(), () -> lifecycle.setAlias(s.v(1), "candidate", "also"));
        as(s.owner(), () -> lifecycle.setAlias(s.v(2), "champion", "beats v1"));

        assertThat(as(s.owner(), () -> lifecycle.aliases(List.of(s.v(1), s.v(2)))))
                .containsEntry(s.v(1), List.of("candidate")).containsEntry(s.v(2), List.of("champion"));
        ModelLifecycle.TimelineEntry moved = as(s.owner(), () -> lifecycle.timeline(s.projectId())).get(0);
        assertThat(moved.event().getAlias()).isEqualTo("champion");
        assertThat(moved.fromVersion()).isEqualTo(1);
        assertThat(moved.version()).isEqualTo(2);
        assertThat(happened.about(Happened.Subject.Type.MODEL_VERSION, s.v(2)).get(0).kind()).isEqualTo(Happened.Kind.MODEL_ALIAS_MOVED);
        assertThat(happened.about(Happened.Subject.Type.MODEL_VERSION, s.v(2)).get(0).facts()).containsEntry("alias", "champion")
                .containsEntry("fromVersion", 1);

        for (String bad : List.of("Champion", "", "-x", "a b", "x".repeat(33))) {
            assertThatThrownBy(() -> as(s.owner(), () -> lifecycle.setAlias(s.v(1), bad, "bad")))
                    .as(bad).isInstanceOf(BadInputException.class);
        }
        assertThatThrownBy(() -> as(s.owner(), () -> lifecycle.setAlias(s.v(2), "champion", "same")))
                .hasMessage("“champion” already points at version 2");
        assertThatThrownBy(() -> as(viewer, () -> lifecycle.setAlias(s.v(1), "mine", "x")))
                .isInstanceOf(AccessDeniedException.class);
    }

    @Test
    void another_companys_version_looks_missing() {
        ModelFixture.Setup mine = fixture.project(0.9);
        ModelFixture.Setup theirs = fixture.project(0.9);
        assertThatThrownBy(() -> as(mine.owner(), () -> lifecycle.changeStage(theirs.v(1), ModelStage.STAGING,
                "x"))).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> as(mine.owner(), () -> lifecycle.setAlias(theirs.v(1), "x", "x")))
                .isInstanceOf(NotFoundException.class);
        assertThat(as(mine.owner(), () -> lifecycle.productionAt(theirs.projectId(), Instant.now()))).isEmpty();
        assertThat(as(mine.owner(), () -> lifecycle.aliases(List.of(theirs.v(1))))).isEmpty();
    }
}
