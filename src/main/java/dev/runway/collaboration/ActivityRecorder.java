package dev.runway.collaboration;

import dev.runway.base.Happened;
import dev.runway.base.Json;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;

/**
 * Records each {@link Happened} in the transaction that made it happen: the activity row, the notifications of the
 * members it concerns, the project's followers, and a {@code pg_notify} that PostgreSQL delivers to every node's
 * {@link LiveBus} when (and only if) the transaction commits. Runs start and end at hundreds a second, so all of it
 * is one statement (one round trip): no query per recipient, the settings are joined in.
 */
@ApplicationScoped
public class ActivityRecorder {

    /** The channel every node listens on; see {@link LiveBus.Signal} for the payload. */
    static final String CHANNEL = "runway_live";
    /** PostgreSQL refuses payloads of 8000 bytes and more; a longer recipient list becomes "everyone, look". */
    static final int MAX_RECIPIENTS_TEXT = 7000;

    private static final String RECORD = """
            with a as (
                insert into activity (tenant_id, kind, project_id, subject_type, subject_id, subject_label, actor_id,
                                      summary, facts, created_at)
                values (?, ?, ?, ?, ?, ?, ?, ?, cast(? as jsonb), ?)
                returning id
            ), candidate as (
                select unnest(cast(? as bigint[])) as user_id
                union select m.user_id from membership m where m.tenant_id = ? and m.role = any(cast(? as varchar[]))
                union select f.user_id from project_follower f where ? and f.tenant_id = ? and f.project_id = ?
                union select p.created_by from project p where ? and p.tenant_id = ? and p.id = ?
            ), recipient as (
                select c.user_id, coalesce(s.in_app, ?) as in_app, coalesce(s.email, ?) as email
                from candidate c
                join membership m on m.tenant_id = ? and m.user_id = c.user_id
                left join notification_setting s on s.tenant_id = ? and s.user_id = c.user_id and s.category = ?
                where cast(? as varchar) is not null and c.user_id is distinct from cast(? as bigint)
            ), n as (
                insert into notification (tenant_id, recipient_id, activity_id, category, in_app, email_wanted,
                                          created_at)
                select ?, r.user_id, a.id, ?, r.in_app, r.email, ?
                from recipient r cross join a
                where r.in_app or r.email
                returning recipient_id, in_app, email_wanted
            ), followed as (
                insert into project_follower (tenant_id, project_id, user_id)
                select ?, cast(? as bigint), u from unnest(cast(? as bigint[])) u
                where cast(? as bigint) is not null
                on conflict do nothing
            ), told as (
                select coalesce(string_agg(cast(recipient_id as text), ',') filter (where in_app), '') as ids,
                       coalesce(bool_or(email_wanted), false) as mail
                from n
            )
            select a.id, told.mail,
                   pg_notify(cast(? as text), concat(cast(? as text), a.id, ';r=',
                           case when length(told.ids) > ? then '*' else told.ids end))
            from a cross join told
            """;

    @Inject
    DataSource dataSource;

    @Inject
    Clock clock;

    @Inject
    ActivityMail mail;

    void record(@Observes Happened event) {
        Optional<NotificationCategory> category = NotificationCategory.of(event.kind());
        Timestamp now = Timestamp.from(clock.instant());
        Long project = event.projectId();
        boolean followers = category.map(NotificationCategory::toFollowers).orElse(false) && project != null;
        // The members who act in a project, and the owners of its runs, follow it ("my projects").
        Set<Long> following = new LinkedHashSet<>();
        if (event.actorId() != null) {
            following.add(event.actorId());
        }
        if (event.subject().type() == Happened.Subject.Type.RUN) {
            following.addAll(event.addressed());
        }
        String payload = "t=" + event.tenantId() + ";k=" + event.kind().code() + ";p="
                + (project == null ? "" : project) + ";a=";
        // The enlisted connection of the caller's transaction (Agroal hands the same one back), so this commits
        // or rolls back with the change.
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(RECORD)) {
            int i = 0;
            s.setLong(++i, event.tenantId());
            s.setString(++i, event.kind().code());
            setLong(s, ++i, project);
            s.setString(++i, event.subject().type().name());
            s.setLong(++i, event.subject().id());
            s.setString(++i, clip(event.subject().label(), 300));
            setLong(s, ++i, event.actorId());
            s.setString(++i, clip(event.summary(), 1000));
            s.setString(++i, Json.write(event.facts()));
            s.setTimestamp(++i, now);
            // candidates
            s.setArray(++i, c.createArrayOf("bigint", category.isPresent() ? event.addressed().toArray() : new Object[0]));
            s.setLong(++i, event.tenantId());
            s.setArray(++i, c.createArrayOf("varchar",
                    category.map(NotificationCategory::audienceRoles).orElse(new String[0])));
            s.setBoolean(++i, followers);
            s.setLong(++i, event.tenantId());
            setLong(s, ++i, project);
            s.setBoolean(++i, followers);
            s.setLong(++i, event.tenantId());
            setLong(s, ++i, project);
            // recipients and their settings
            s.setBoolean(++i, category.map(NotificationCategory::inAppByDefault).orElse(false));
            s.setBoolean(++i, category.map(NotificationCategory::emailByDefault).orElse(false));
            s.setLong(++i, event.tenantId());
            s.setLong(++i, event.tenantId());
            s.setString(++i, category.map(Enum::name).orElse(null));
            s.setString(++i, category.map(Enum::name).orElse(null));
            setLong(s, ++i, event.actorId());
            // notifications
            s.setLong(++i, event.tenantId());
            s.setString(++i, category.map(Enum::name).orElse(""));
            s.setTimestamp(++i, now);
            // followers
            s.setLong(++i, event.tenantId());
            setLong(s, ++i, project);
            s.setArray(++i, c.createArrayOf("bigint", following.toArray()));
            setLong(s, ++i, project);
            // the signal
            s.setString(++i, CHANNEL);
            s.setString(++i, payload);
            s.setInt(++i, MAX_RECIPIENTS_TEXT);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                long activityId = r.getLong(1);
                if (r.getBoolean(2)) {
                    mail.schedule(event.tenantId(), activityId);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not record the activity: " + e.getMessage(), e);
        }
    }

    private static void setLong(PreparedStatement s, int index, Long value) throws SQLException {
        if (value == null) {
            s.setNull(index, Types.BIGINT);
        } else {
            s.setLong(index, value);
        }
    }

    private static String clip(String text, int max) {
        String value = text == null ? "" : text;
        return value.length() <= max ? value : value.substring(0, max - 1) + "…";
    }
}
