package dev.runway.collaboration;

import static dev.runway.collaboration.CommentMarkdown.mention;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runway.base.AccessDeniedException;
import dev.runway.base.BadInputException;
import dev.runway.base.Happened;
import dev.runway.base.NotFoundException;
import dev.runway.tenancy.Actor;
import dev.runway.tenancy.AuditEvent;
import dev.runway.tenancy.AuditLog;
import dev.runway.tenancy.Role;
import dev.runway.tenancy.TenantContext;
import dev.runway.testing.HappenedRecorder;
import dev.runway.testing.TenancyFixture;
import dev.runway.testing.TestClock;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Comments against the real PostgreSQL: permissions, own-only changes, isolation, mentions and what is announced. */
@QuarkusTest
class CommentServiceTest {

    /** One company with a finished run is enough for every test here: each test adds its own comments. */
    private static CommentFixture.Subjects subjects;

    @Inject
    CommentService comments;

    @Inject
    CommentFixture fixture;

    @Inject
    TenancyFixture tenancy;

    @Inject
    HappenedRecorder happened;

    @Inject
    AuditLog audit;

    @Inject
    TestClock clock;

    private Actor owner;
    private CommentFixture.Member engineer;

    @BeforeEach
    void setUp() {
        if (subjects == null) {
            subjects = fixture.subjects();
        }
        owner = subjects.company().owner();
        engineer = fixture.member(subjects.company(), "Ana Silva", Role.ENGINEER);
    }

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    private static <T> T as(Actor actor, Supplier<T> work) {
        return TenantContext.runAs(actor, work);
    }

    @Test
    void a_member_who_may_evaluate_comments_and_every_member_reads_it_rendered() {
        CommentFixture.Member viewer = fixture.member(subjects.company(), "Vic Viewer", Role.VIEWER);
        CommentService.Entry added = as(engineer.actor(), () -> comments.add(CommentSubject.Type.RUN,
                subjects.runId(), "The **loss** plateaus <script>alert(1)</script>"));

        List<CommentService.Entry> thread = as(viewer.actor(),
                () -> comments.list(CommentSubject.Type.RUN, subjects.runId()));
        CommentService.Entry shown = thread.stream().filter(e -> e.id() == added.id()).findFirst().orElseThrow();
        assertThat(shown.authorName()).isEqualTo("Ana Silva");
        assertThat(shown.html()).isEqualTo(
                "<p>The <strong>loss</strong> plateaus &lt;script&gt;alert(1)&lt;/script&gt;</p>");
        assertThat(shown.mine()).isFalse();
        assertThat(shown.editedAt()).isNull();
        assertThat(as(engineer.actor(), () -> comments.list(CommentSubject.Type.RUN, subjects.runId())))
                .filteredOn(e -> e.id() == added.id()).singleElement().extracting(CommentService.Entry::mine)
                .isEqualTo(true);
        assertThat(as(owner, () -> audit.list("", "comment.added"))).extracting(AuditEvent::getSubject)
                .contains("comment #" + added.id() + " on training run #" + subjects.runId());
    }

    @Test
    void a_viewer_reads_but_may_not_comment() {
        CommentFixture.Member viewer = fixture.member(subjects.company(), "Vic Viewer", Role.VIEWER);
        assertThat(as(viewer.actor(), () -> comments.canComment())).isFalse();
        assertThat(as(engineer.actor(), () -> comments.canComment())).isTrue();
        assertThatThrownBy(() -> as(viewer.actor(), () -> comments.add(CommentSubject.Type.RUN, subjects.runId(),
                "hello"))).isInstanceOf(AccessDeniedException.class).hasMessageContaining("Viewer");
    }

    @Test
    void only_the_author_edits_or_deletes_a_comment() {
        CommentService.Entry added = as(engineer.actor(), () -> comments.add(CommentSubject.Type.MODEL_VERSION,
                subjects.modelVersionId(), "first"));

        assertThatThrownBy(() -> as(owner, () -> comments.edit(added.id(), "changed by the owner")))
                .isInstanceOf(AccessDeniedException.class).hasMessage("You can only edit your own comments");
        assertThatThrownBy(() -> as(owner, () -> {
            comments.delete(added.id());
            return null;
        })).isInstanceOf(AccessDeniedException.class).hasMessage("You can only delete your own comments");

        clock.advance(Duration.ofMinutes(5));
        CommentService.Entry edited = as(engineer.actor(), () -> comments.edit(added.id(), "second _thoughts_"));
        assertThat(edited.html()).isEqualTo("<p>second <em>thoughts</em></p>");
        assertThat(edited.editedAt()).isAfter(edited.createdAt().plus(Duration.ofMinutes(4)));

        as(engineer.actor(), () -> {
            comments.delete(added.id());
            return null;
        });
        assertThat(as(owner, () -> comments.list(CommentSubject.Type.MODEL_VERSION, subjects.modelVersionId())))
                .noneMatch(e -> e.id() == added.id());
        assertThatThrownBy(() -> as(engineer.actor(), () -> comments.edit(added.id(), "again")))
                .isInstanceOf(NotFoundException.class);
    }

    @Test
    void another_companys_subjects_and_comments_look_missing() {
        TenancyFixture.Company other = tenancy.company();
        CommentService.Entry added = as(engineer.actor(), () -> comments.add(CommentSubject.Type.RUN,
                subjects.runId(), "ours"));
        for (CommentSubject.Type type : CommentSubject.Type.values()) {
            long id = switch (type) {
                case RUN -> subjects.runId();
                case MODEL_VERSION -> subjects.modelVersionId();
                case DATASET_VERSION -> subjects.datasetVersionId();
            };
            assertThatThrownBy(() -> as(other.owner(), () -> comments.list(type, id)))
                    .as(type.name()).isInstanceOf(NotFoundException.class);
            assertThatThrownBy(() -> as(other.owner(), () -> comments.add(type, id, "theirs")))
                    .as(type.name()).isInstanceOf(NotFoundException.class);
        }
        assertThatThrownBy(() -> as(other.owner(), () -> comments.edit(added.id(), "theirs")))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> as(other.owner(), () -> {
            comments.delete(added.id());
            return null;
        })).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> as(other.owner(), () -> comments.mentions(added.id())))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> as(owner, () -> comments.list(CommentSubject.Type.RUN, Long.MAX_VALUE)))
                .isInstanceOf(NotFoundException.class);
    }

    @Test
    void mentions_resolve_to_members_and_address_them_but_not_the_author_or_strangers() {
        CommentFixture.Member namesake = fixture.member(subjects.company(), "Ana Silva", Role.ANALYST);
        CommentFixture.Member wang = fixture.member(subjects.company(), "王小明", Role.VIEWER);
        TenancyFixture.Company other = tenancy.company();
        String body = "cc " + mention(namesake.actor().userId(), "Ana Silva") + " "
                + mention(wang.actor().userId(), "王小明") + " " + mention(engineer.actor().userId(), "me") + " "
                + mention(other.owner().userId(), "Stranger") + " `" + mention(owner.userId(), "in code") + "`";

        CommentService.Entry added = as(engineer.actor(), () -> comments.add(CommentSubject.Type.DATASET_VERSION,
                subjects.datasetVersionId(), body));

        assertThat(as(owner, () -> comments.mentions(added.id()))).containsExactlyInAnyOrder(
                namesake.actor().userId(), wang.actor().userId(), engineer.actor().userId());
        assertThat(added.html()).contains("data-user=\"" + namesake.actor().userId() + "\">@Ana Silva</span>",
                "data-user=\"" + wang.actor().userId() + "\">@王小明</span>", "@Stranger")
                .doesNotContain("data-user=\"" + other.owner().userId() + "\"");
        Happened event = happened.aboutComment(added.id()).get(0);
        assertThat(event.kind()).isEqualTo(Happened.Kind.COMMENT_ADDED);
        assertThat(event.tenantId()).isEqualTo(owner.tenantId());
        assertThat(event.actorId()).isEqualTo(engineer.actor().userId());
        assertThat(event.addressed()).containsExactlyInAnyOrder(namesake.actor().userId(), wang.actor().userId());
        assertThat(event.subject().type()).isEqualTo(Happened.Subject.Type.DATASET_VERSION);
        assertThat(event.subject().id()).isEqualTo(subjects.datasetVersionId());
        assertThat(event.subject().label()).isEqualTo("iris v1");
        assertThat(event.projectId()).isNotNull();
        assertThat(event.summary()).isEqualTo("Ana Silva commented on iris v1");
        assertThat(event.facts()).containsEntry("commentId", added.id())
                .containsEntry("subjectType", "DATASET_VERSION")
                .containsEntry("subjectId", subjects.datasetVersionId())
                .containsEntry("edited", false)
                .doesNotContainKey("excerpt");
        assertThat((List<?>) event.facts().get("mentions")).hasSize(3);
    }

    @Test
    void an_edit_keeps_mentions_and_announces_only_new_ones() {
        CommentFixture.Member first = fixture.member(subjects.company(), "First Person", Role.ANALYST);
        CommentFixture.Member second = fixture.member(subjects.company(), "Second Person", Role.ANALYST);
        String original = "ask " + mention(first.actor().userId(), "First Person");
        CommentService.Entry added = as(engineer.actor(), () -> comments.add(CommentSubject.Type.MODEL_VERSION,
                subjects.modelVersionId(), original));
        assertThat(happened.aboutComment(added.id())).hasSize(1);

        as(engineer.actor(), () -> comments.edit(added.id(), original + " (typo fixed)"));
        assertThat(happened.aboutComment(added.id())).as("an edit that mentions nobody new announces nothing").hasSize(1);
        assertThat(as(owner, () -> comments.mentions(added.id()))).containsExactly(first.actor().userId());

        as(engineer.actor(), () -> comments.edit(added.id(),
                original + " and " + mention(second.actor().userId(), "Second Person")));
        List<Happened> events = happened.aboutComment(added.id());
        assertThat(events).hasSize(2);
        assertThat(events.get(1).addressed()).containsExactly(second.actor().userId());
        assertThat(events.get(1).facts()).containsEntry("edited", true);
        assertThat(events.get(1).summary()).isEqualTo("Ana Silva edited a comment on model v1");
        assertThat(as(owner, () -> comments.mentions(added.id())))
                .containsExactlyInAnyOrder(first.actor().userId(), second.actor().userId());

        as(engineer.actor(), () -> comments.edit(added.id(), "nobody now"));
        assertThat(as(owner, () -> comments.mentions(added.id()))).isEmpty();
        assertThat(happened.aboutComment(added.id())).hasSize(2);
    }

    @Test
    void a_comment_must_say_something_and_not_too_much() {
        assertThatThrownBy(() -> as(engineer.actor(), () -> comments.add(CommentSubject.Type.RUN, subjects.runId(),
                "   "))).isInstanceOf(BadInputException.class).hasMessage("Comment is required")
                .extracting(e -> ((BadInputException) e).field()).isEqualTo("body");
        assertThatThrownBy(() -> as(engineer.actor(), () -> comments.add(CommentSubject.Type.RUN, subjects.runId(),
                "x".repeat(Comment.BODY_MAX + 1)))).isInstanceOf(BadInputException.class)
                .hasMessage("Comment must be at most " + Comment.BODY_MAX + " characters");
        assertThat(as(engineer.actor(), () -> comments.add(CommentSubject.Type.RUN, subjects.runId(),
                "x".repeat(Comment.BODY_MAX))).body()).hasSize(Comment.BODY_MAX);
    }
}
