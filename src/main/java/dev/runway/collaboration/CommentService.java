package dev.runway.collaboration;

import dev.runway.base.AccessDeniedException;
import dev.runway.base.Happened;
import dev.runway.base.Keyset;
import dev.runway.base.NotFoundException;
import dev.runway.base.Text;
import dev.runway.tenancy.Access;
import dev.runway.tenancy.Actor;
import dev.runway.tenancy.AuditLog;
import dev.runway.tenancy.Membership;
import dev.runway.tenancy.Permission;
import dev.runway.tenancy.TeamService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Comments on runs, model versions and dataset versions. Reading takes READ, writing EVALUATE; a member edits and
 * deletes only their own. Mentions are resolved to members when a comment is saved, and the mentioned members hear
 * of it through {@link Happened} (an edit: only those it newly mentions).
 */
@ApplicationScoped
public class CommentService {

    /** How much of a comment a summary or the audit log quotes. */
    public static final int EXCERPT = 80;

    /** A comment as a page shows it: {@code html} is safe to insert as it is. */
    public record Entry(long id, long authorId, String authorName, String body, String html, Instant createdAt,
            Instant editedAt, boolean mine) {}

    /** A member who may be mentioned. */
    public record Mentionable(long userId, String name, String email) {}

    @Inject
    EntityManager em;

    @Inject
    Access access;

    @Inject
    AuditLog audit;

    @Inject
    Clock clock;

    @Inject
    TeamService team;

    @Inject
    Event<Happened> happened;

    @Inject
    @Any
    Instance<Commentable> commentables;

    /** Whether the current member may write comments (views hide the composer otherwise; the service checks). */
    @Transactional
    public boolean canComment() {
        return access.can(Permission.EVALUATE);
    }

    /** The thread on a subject, oldest first. */
    @Transactional
    public List<Entry> list(CommentSubject.Type type, long subjectId) {
        return list(type, subjectId, null, Integer.MAX_VALUE);
    }

    /** A page of the thread, oldest first: at most {@code limit} after {@code after} (created at, id). */
    @Transactional
    public List<Entry> list(CommentSubject.Type type, long subjectId, Keyset after, int limit) {
        Actor actor = access.require(Permission.READ);
        CommentSubject subject = subject(type, subjectId);
        Map<Long, String> names = memberNames();
        return Keyset.bindInstant(em.createQuery("select c from Comment c where c.subjectType = :type and "
                        + "c.subjectId = :id and " + Keyset.after("c.createdAt", "c.id", false)
                        + " order by c.createdAt, c.id", Comment.class), after)
                .setParameter("type", subject.type())
                .setParameter("id", subject.id())
                .setMaxResults(limit)
                .getResultStream()
                .map(c -> entry(c, names, actor))
                .toList();
    }

    @Transactional
    public Entry add(CommentSubject.Type type, long subjectId, String body) {
        Actor actor = access.require(Permission.EVALUATE);
        CommentSubject subject = subject(type, subjectId);
        String text = Text.required("body", "Comment", body, Comment.BODY_MAX);
        Map<Long, String> names = memberNames();
        Comment comment = new Comment(subject, actor.userId(), text, clock.instant());
        em.persist(comment);
        Set<Long> mentions = mentionedMembers(text, names);
        mentions.forEach(userId -> em.persist(new CommentMention(comment.getId(), userId)));
        String excerpt = excerpt(text, names);
        announce(actor, subject, comment, mentions, without(mentions, actor.userId()), names, false);
        audit.record("comment.added", describe(comment, subject), null, excerpt);
        return entry(comment, names, actor);
    }

    /** Changes one's own comment. Members it mentions for the first time hear of it; the others do not again. */
    @Transactional
    public Entry edit(long commentId, String body) {
        Actor actor = access.require(Permission.EVALUATE);
        Comment comment = own(commentId, actor, "edit");
        CommentSubject subject = subject(comment.getSubjectType(), comment.getSubjectId());
        String text = Text.required("body", "Comment", body, Comment.BODY_MAX);
        Map<Long, String> names = memberNames();
        String before = excerpt(comment.getBody(), names);
        Set<Long> earlier = mentionsOf(comment.getId());
        Set<Long> mentions = mentionedMembers(text, names);
        em.createQuery("delete from CommentMention m where m.commentId = :c and m.userId not in :keep")
                .setParameter("c", comment.getId())
                .setParameter("keep", mentions.isEmpty() ? Set.of(0L) : mentions)
                .executeUpdate();
        Set<Long> added = new LinkedHashSet<>(mentions);
        added.removeAll(earlier);
        added.forEach(userId -> em.persist(new CommentMention(comment.getId(), userId)));
        comment.edit(text, clock.instant());
        String excerpt = excerpt(text, names);
        Set<Long> addressed = without(added, actor.userId());
        if (!addressed.isEmpty()) {
            announce(actor, subject, comment, mentions, addressed, names, true);
        }
        audit.record("comment.edited", describe(comment, subject), before, excerpt);
        return entry(comment, names, actor);
    }

    /** Deletes one's own comment; a member may always take back what they wrote, whatever their role now. */
    @Transactional
    public void delete(long commentId) {
        Actor actor = access.require(Permission.READ);
        Comment comment = own(commentId, actor, "delete");
        CommentSubject subject = subject(comment.getSubjectType(), comment.getSubjectId());
        String excerpt = excerpt(comment.getBody(), memberNames());
        em.createQuery("delete from CommentMention m where m.commentId = :c")
                .setParameter("c", comment.getId()).executeUpdate();
        em.remove(comment);
        audit.record("comment.deleted", describe(comment, subject), excerpt, null);
    }

    /** The members, for mention completion, in the order the team page lists them. */
    @Transactional
    public List<Mentionable> mentionable() {
        access.require(Permission.READ);
        return team.members().stream()
                .map(m -> new Mentionable(m.getUser().getId(), m.getUser().getDisplayName(), m.getUser().getEmail()))
                .toList();
    }

    /** The members a comment mentions now (user ids): what its notifications went to. */
    @Transactional
    public Set<Long> mentions(long commentId) {
        access.require(Permission.READ);
        Optional.ofNullable(em.find(Comment.class, commentId)).orElseThrow(() -> new NotFoundException("Comment"));
        return mentionsOf(commentId);
    }

    private CommentSubject subject(CommentSubject.Type type, long id) {
        if (type == null) {
            throw new NotFoundException("Comment subject");
        }
        for (Commentable commentable : commentables) {
            if (commentable.type() == type) {
                return commentable.subject(id);
            }
        }
        throw new IllegalStateException("No feature takes comments on " + type);
    }

    private Comment own(long commentId, Actor actor, String action) {
        Comment comment = Optional.ofNullable(em.find(Comment.class, commentId))
                .orElseThrow(() -> new NotFoundException("Comment"));
        if (!comment.getAuthorId().equals(actor.userId())) {
            throw new AccessDeniedException("You can only " + action + " your own comments");
        }
        return comment;
    }

    private Set<Long> mentionsOf(long commentId) {
        return new LinkedHashSet<>(em.createQuery(
                        "select m.userId from CommentMention m where m.commentId = :c order by m.userId", Long.class)
                .setParameter("c", commentId).getResultList());
    }

    /** Who {@code text} mentions among the members; a mention of anyone else is left as text. */
    private static Set<Long> mentionedMembers(String text, Map<Long, String> names) {
        Set<Long> ids = CommentMarkdown.mentionedIds(text);
        ids.retainAll(names.keySet());
        return ids;
    }

    private Map<Long, String> memberNames() {
        Map<Long, String> names = new LinkedHashMap<>();
        for (Membership m : team.members()) {
            names.put(m.getUser().getId(), m.getUser().getDisplayName());
        }
        return names;
    }

    /**
     * Tells the feed, notifications and webhooks. The comment's words stay out of it: the feed is append-only, and a
     * comment deleted because it held a secret must not live on there (readers follow the link to the thread).
     */
    private void announce(Actor actor, CommentSubject subject, Comment comment, Set<Long> mentions,
            Set<Long> addressed, Map<Long, String> names, boolean edited) {
        String author = names.getOrDefault(actor.userId(), "A member");
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("commentId", comment.getId());
        facts.put("subjectType", subject.type().name());
        facts.put("subjectId", subject.id());
        facts.put("mentions", List.copyOf(mentions));
        facts.put("edited", edited);
        happened.fire(new Happened(actor.tenantId(), Happened.Kind.COMMENT_ADDED, subject.projectId(),
                new Happened.Subject(subject.type().happened(), subject.id(), subject.label()), actor.userId(),
                author + (edited ? " edited a comment on " : " commented on ") + subject.label(),
                addressed, facts));
    }

    private static Entry entry(Comment c, Map<Long, String> names, Actor actor) {
        return new Entry(c.getId(), c.getAuthorId(), names.getOrDefault(c.getAuthorId(), "A former member"),
                c.getBody(), CommentMarkdown.html(c.getBody(), names), c.getCreatedAt(), c.getEditedAt(),
                c.getAuthorId().equals(actor.userId()));
    }

    private static String excerpt(String body, Map<Long, String> names) {
        return CommentMarkdown.excerpt(CommentMarkdown.plainText(body, names), EXCERPT);
    }

    private static String describe(Comment comment, CommentSubject subject) {
        return "comment #" + comment.getId() + " on " + subject.label();
    }

    private static Set<Long> without(Set<Long> ids, long userId) {
        Set<Long> rest = new LinkedHashSet<>(ids);
        rest.remove(userId);
        return rest;
    }
}
