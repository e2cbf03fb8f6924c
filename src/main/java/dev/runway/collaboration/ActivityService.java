package dev.runway.collaboration;

import dev.runway.base.Happened.Kind;
import dev.runway.base.NotFoundException;
import dev.runway.tenancy.Access;
import dev.runway.tenancy.Actor;
import dev.runway.tenancy.InvitationMailer;
import dev.runway.tenancy.Permission;
import dev.runway.tenancy.Role;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import jakarta.transaction.Transactional;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The activity feed, a member's notifications and notification settings. Every member of a company may read. */
@ApplicationScoped
public class ActivityService {

    /** One entry of the feed. {@code link} is the subject's page, relative to the console's root. */
    public record Entry(long id, String kind, Long projectId, String projectName, String subjectLabel, String actorName,
            String summary, Instant createdAt, String link) {}

    /** One notification of the current member. */
    public record Note(long id, Entry activity, boolean read) {}

    /** A member's choice for one category. */
    public record Setting(NotificationCategory category, boolean inApp, boolean email) {}

    /**
     * What a feed shows: the company's, or one project's ({@code projectId}), of one kind or all ({@code kind}),
     * older than {@code beforeId} (keyset paging; null for the newest) or newer than {@code afterId}.
     */
    public record Filter(Long projectId, Kind kind) {

        public static Filter all() {
            return new Filter(null, null);
        }
    }

    private static final String ENTRY_COLUMNS = """
            a.id, a.kind, a.project_id, p.name, a.subject_label,
            case when a.actor_id is null then null else coalesce(u.display_name, 'A former member') end,
            a.summary, a.created_at,
            a.subject_type, a.subject_id""";
    private static final String ENTRY_FROM = """
            from activity a
            left join project p on p.id = a.project_id
            left join app_user u on u.id = a.actor_id""";

    @Inject
    EntityManager em;

    @Inject
    Access access;

    @Inject
    Clock clock;

    @Inject
    InvitationMailer mailer;

    /** Whether notification mails can go out at all (an SMTP server is configured). */
    public boolean mailConfigured() {
        return mailer.configured();
    }

    /** The newest {@code limit} entries older than {@code beforeId} (null: the newest of all). */
    @Transactional
    public List<Entry> feed(Filter filter, Long beforeId, int limit) {
        Actor actor = access.require(Permission.READ);
        return entries(actor, filter, beforeId == null ? "" : " and a.id < :before", beforeId, limit);
    }

    /** Entries newer than {@code afterId}, newest first (a live feed catching up). */
    @Transactional
    public List<Entry> newer(Filter filter, long afterId, int limit) {
        Actor actor = access.require(Permission.READ);
        return entries(actor, filter, " and a.id > :after", afterId, limit);
    }

    @SuppressWarnings("unchecked")
    private List<Entry> entries(Actor actor, Filter filter, String keyset, Long key, int limit) {
        StringBuilder sql = new StringBuilder("select " + ENTRY_COLUMNS + " " + ENTRY_FROM
                + " where a.tenant_id = :tenant and a.kind <> all(cast(:hidden as varchar[]))");
        if (filter.projectId() != null) {
            sql.append(" and a.project_id = :project");
        }
        if (filter.kind() != null) {
            sql.append(" and a.kind = :kind");
        }
        sql.append(keyset).append(" order by a.id desc limit :limit");
        Query q = em.createNativeQuery(sql.toString())
                .setParameter("tenant", actor.tenantId())
                .setParameter("hidden", "{" + String.join(",", hiddenKinds()) + "}")
                .setParameter("limit", Math.max(1, Math.min(limit, 200)));
        if (filter.projectId() != null) {
            q.setParameter("project", filter.projectId());
        }
        if (filter.kind() != null) {
            q.setParameter("kind", filter.kind().code());
        }
        if (keyset.contains(":before")) {
            q.setParameter("before", key);
        } else if (keyset.contains(":after")) {
            q.setParameter("after", key);
        }
        return ((List<Object[]>) q.getResultList()).stream().map(ActivityService::entry).toList();
    }

    /** Kinds the member's role may not read about: invoices (billing), webhooks (settings). */
    private List<String> hiddenKinds() {
        List<String> hidden = new ArrayList<>(List.of("none"));
        if (!access.can(Permission.READ_BILLING)) {
            hidden.add(Kind.INVOICE_FINALISED.code());
        }
        if (!access.can(Permission.MANAGE_SETTINGS)) {
            hidden.add(Kind.WEBHOOK_DISABLED.code());
        }
        return hidden;
    }

    private static Entry entry(Object[] r) {
        Long project = r[2] == null ? null : ((Number) r[2]).longValue();
        return new Entry(((Number) r[0]).longValue(), (String) r[1], project, (String) r[3], (String) r[4],
                (String) r[5], (String) r[6], instant(r[7]),
                Links.path((String) r[8], ((Number) r[9]).longValue(), project));
    }

    private static Instant instant(Object value) {
        if (value instanceof Instant i) {
            return i;
        }
        if (value instanceof OffsetDateTime o) {
            return o.toInstant();
        }
        return ((Timestamp) value).toInstant();
    }

    /** The current member's notifications, newest first, older than {@code beforeId} (null: the newest). */
    @Transactional
    @SuppressWarnings("unchecked")
    public List<Note> notifications(Long beforeId, int limit, boolean unreadOnly) {
        Actor actor = access.require(Permission.READ);
        List<Object[]> rows = em.createNativeQuery("select n.id, n.read_at is not null, " + ENTRY_COLUMNS + " "
                        + ENTRY_FROM + " join notification n on n.activity_id = a.id"
                        + " where n.tenant_id = :tenant and n.recipient_id = :me and n.in_app"
                        + (unreadOnly ? " and n.read_at is null" : "")
                        + " and n.id < :before"
                        + " order by n.id desc limit :limit")
                .setParameter("tenant", actor.tenantId()).setParameter("me", actor.userId())
                .setParameter("limit", Math.max(1, Math.min(limit, 200)))
                .setParameter("before", beforeId == null ? Long.MAX_VALUE : beforeId)
                .getResultList();
        return rows.stream().map(r -> new Note(((Number) r[0]).longValue(),
                entry(Arrays.copyOfRange(r, 2, r.length)), (Boolean) r[1])).toList();
    }

    @Transactional
    public long unreadCount() {
        Actor actor = access.require(Permission.READ);
        return ((Number) em.createNativeQuery("select count(*) from notification where tenant_id = :tenant "
                        + "and recipient_id = :me and read_at is null and in_app")
                .setParameter("tenant", actor.tenantId()).setParameter("me", actor.userId())
                .getSingleResult()).longValue();
    }

    /** Marks one of the member's own notifications read; another member's looks like a missing one. */
    @Transactional
    public void markRead(long notificationId) {
        Actor actor = access.require(Permission.READ);
        int found = em.createNativeQuery("update notification set read_at = coalesce(read_at, :now) "
                        + "where id = :id and tenant_id = :tenant and recipient_id = :me")
                .setParameter("now", clock.instant()).setParameter("id", notificationId)
                .setParameter("tenant", actor.tenantId()).setParameter("me", actor.userId()).executeUpdate();
        if (found == 0) {
            throw new NotFoundException("Notification");
        }
        readSignal(actor);
    }

    /** @return how many were unread */
    @Transactional
    public int markAllRead() {
        Actor actor = access.require(Permission.READ);
        readSignal(actor);
        return em.createNativeQuery("update notification set read_at = :now "
                        + "where tenant_id = :tenant and recipient_id = :me and read_at is null")
                .setParameter("now", clock.instant())
                .setParameter("tenant", actor.tenantId()).setParameter("me", actor.userId()).executeUpdate();
    }

    /** The member's bells on every node (other tabs, other browsers) count again once this commits. */
    private void readSignal(Actor actor) {
        em.createNativeQuery("select cast(pg_notify(:channel, :payload) as text)")
                .setParameter("channel", ActivityRecorder.CHANNEL)
                .setParameter("payload", "t=" + actor.tenantId() + ";k=read;p=;a=0;r=" + actor.userId())
                .getSingleResult();
    }

    /** The categories offered to the member's role, each with their choice or its defaults. */
    @Transactional
    @SuppressWarnings("unchecked")
    public List<Setting> settings() {
        Actor actor = access.require(Permission.READ);
        Role role = access.currentRole().orElseThrow();
        Map<String, Object[]> chosen = ((List<Object[]>) em.createNativeQuery("select category, in_app, email "
                        + "from notification_setting where tenant_id = :tenant and user_id = :me")
                .setParameter("tenant", actor.tenantId()).setParameter("me", actor.userId()).getResultList())
                .stream().collect(Collectors.toMap(r -> (String) r[0], r -> r));
        return Arrays.stream(NotificationCategory.values()).filter(c -> c.offeredTo(role)).map(c -> {
            Object[] row = chosen.get(c.name());
            return row == null ? new Setting(c, c.inAppByDefault(), c.emailByDefault())
                    : new Setting(c, (Boolean) row[1], (Boolean) row[2]);
        }).toList();
    }

    @Transactional
    public void save(Setting setting) {
        Actor actor = access.require(Permission.READ);
        em.createNativeQuery("insert into notification_setting (tenant_id, user_id, category, in_app, email) "
                        + "values (:tenant, :me, :category, :inApp, :email) on conflict (tenant_id, user_id, category) "
                        + "do update set in_app = excluded.in_app, email = excluded.email")
                .setParameter("tenant", actor.tenantId()).setParameter("me", actor.userId())
                .setParameter("category", setting.category().name()).setParameter("inApp", setting.inApp())
                .setParameter("email", setting.email()).executeUpdate();
    }
}
