package dev.runway.collaboration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runway.collaboration.ActivityService.Setting;
import dev.runway.base.Happened;
import dev.runway.base.Happened.Kind;
import dev.runway.base.Happened.Subject;
import dev.runway.tenancy.Actor;
import dev.runway.tenancy.Role;
import dev.runway.testing.Acting;
import dev.runway.testing.SmtpSink;
import dev.runway.testing.TenancyFixture;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Notification mails go out after the commit, through a real SMTP server the test starts, per the settings. */
@QuarkusTest
@TestProfile(NotificationMailTest.WithSmtp.class)
class NotificationMailTest {

    static final SmtpSink SMTP;

    static {
        try {
            SMTP = new SmtpSink();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static class WithSmtp implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("runway.smtp.host", "127.0.0.1", "runway.smtp.port", Integer.toString(SMTP.port()),
                    "runway.smtp.starttls", "false", "runway.smtp.from", "runway@example.com");
        }
    }

    @Inject
    TenancyFixture tenancy;

    @Inject
    ActivityService activity;

    @Inject
    Event<Happened> happened;

    @Inject
    EntityManager em;

    @Test
    void a_mention_is_mailed_once_and_what_a_member_switched_off_is_not() throws Exception {
        TenancyFixture.Company company = tenancy.company();
        String analystEmail = "analyst-" + TenancyFixture.unique() + "@example.com";
        Actor analyst = tenancy.join(company, analystEmail, Role.ANALYST);
        String engineerEmail = "engineer-" + TenancyFixture.unique() + "@example.com";
        Actor engineer = tenancy.join(company, engineerEmail, Role.ENGINEER);
        Acting.tx(engineer, () -> {
            activity.save(new Setting(NotificationCategory.MENTIONS, true, false));
            return null;
        });

        Acting.tx(company.owner(), () -> {
            happened.fire(new Happened(company.owner().tenantId(), Kind.COMMENT_ADDED, null,
                    new Subject(Subject.Type.RUN, 77, "Training run #77"), company.owner().userId(),
                    "Owner commented on Training run #77: @analyst please check the loss",
                    Set.of(analyst.userId(), engineer.userId()), Map.of()));
            return null;
        });

        List<SmtpSink.Received> mails = await(analystEmail);
        assertThat(mails).singleElement().satisfies(m -> {
            assertThat(m.content()).contains("Subject: Runway: Owner commented on Training run #77");
            assertThat(m.content()).contains("@analyst please check the loss");
            assertThat(m.content()).contains("http://localhost:8081/runs/77");
        });
        assertThat(Acting.tx(analyst, () -> em.createNativeQuery(
                        "select emailed_at is not null from notification where recipient_id = :me")
                .setParameter("me", analyst.userId()).getSingleResult())).isEqualTo(true);
        // The engineer switched mention mails off: the bell only.
        Thread.sleep(1500);
        assertThat(notificationMails(engineerEmail)).isEmpty();
        assertThat(notificationMails(analystEmail)).hasSize(1);
        assertThat(Acting.tx(engineer, activity::unreadCount)).isEqualTo(1);
    }

    @Test
    void a_finished_run_is_not_mailed_by_default() throws Exception {
        TenancyFixture.Company company = tenancy.company();
        Acting.tx(new Actor(0, company.owner().tenantId()), () -> {
            happened.fire(new Happened(company.owner().tenantId(), Kind.RUN_FINISHED, null,
                    new Subject(Subject.Type.RUN, 78, "Training run #78"), null, "Training run #78 finished",
                    Set.of(company.owner().userId()), Map.of()));
            return null;
        });
        Thread.sleep(1500);
        assertThat(notificationMails(company.ownerEmail())).isEmpty();
        assertThat(Acting.tx(company.owner(), activity::unreadCount)).isEqualTo(1);
    }

    private static List<SmtpSink.Received> await(String address) throws InterruptedException {
        for (int i = 0; i < 100 && notificationMails(address).isEmpty(); i++) {
            Thread.sleep(100);
        }
        return notificationMails(address);
    }

    /** Notification mails only (not the invitations and sign-up links of the fixtures). */
    private static List<SmtpSink.Received> notificationMails(String address) {
        return SMTP.to(address).stream().filter(m -> m.content().contains("Subject: Runway: ")).toList();
    }
}
