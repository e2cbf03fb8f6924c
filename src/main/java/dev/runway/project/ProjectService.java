package dev.runway.project;

import dev.runway.base.BadInputException;
import dev.runway.base.ETag;
import dev.runway.base.Keyset;
import dev.runway.base.NotFoundException;
import dev.runway.base.Text;
import dev.runway.tenancy.Access;
import dev.runway.tenancy.Actor;
import dev.runway.tenancy.AuditLog;
import dev.runway.tenancy.Permission;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Projects of the current tenant. ENGINEER and above manage them; every role reads. */
@ApplicationScoped
public class ProjectService {

    public enum Sort { NAME, NEWEST, RECENTLY_UPDATED }

    /** What a form submits. Tags are comma-separated. */
    public record ProjectForm(String name, String description, String tags, boolean previewEnabled) {}

    @Inject
    EntityManager em;

    @Inject
    Access access;

    @Inject
    AuditLog audit;

    @Inject
    Clock clock;

    /** Active (or archived) projects whose name, description or tags contain {@code search}. */
    @Transactional
    public List<Project> list(String search, boolean archived, Sort sort) {
        access.require(Permission.READ);
        String order = switch (sort == null ? Sort.NAME : sort) {
            case NAME -> "lower(p.name)";
            case NEWEST -> "p.createdAt desc";
            case RECENTLY_UPDATED -> "p.updatedAt desc";
        };
        List<Project> projects = em.createQuery("select p from Project p where (:active = true and p.archivedAt is null)"
                        + " or (:active = false and p.archivedAt is not null)"
                        + " order by " + order + ", p.id", Project.class)
                .setParameter("active", !archived)
                .getResultList();
        return matching(projects, search).toList();
    }

    /**
     * A page of {@link #list} by name: at most {@code limit} projects after {@code after} (name, id; the
     * key is the name as stored and compared lower-cased by the database, as the order is), so
     * projects created meanwhile never shift a page.
     */
    @Transactional
    public List<Project> listByName(String search, boolean archived, Keyset after, int limit) {
        access.require(Permission.READ);
        // The search is matched here, after the keyset: tags are an array, and a company has few projects.
        List<Project> projects = Keyset.bindText(em.createQuery("select p from Project p where ((:active = true"
                        + " and p.archivedAt is null) or (:active = false and p.archivedAt is not null)) and "
                        + Keyset.afterIgnoringCase("p.name", "p.id") + " order by lower(p.name), p.id",
                        Project.class), after)
                .setParameter("active", !archived)
                .getResultList();
        return matching(projects, search).limit(limit).toList();
    }

    private static Stream<Project> matching(List<Project> projects, String search) {
        String term = search == null ? "" : search.strip().toLowerCase(Locale.ROOT);
        return projects.stream().filter(p -> term.isEmpty() || p.getName().toLowerCase(Locale.ROOT).contains(term)
                || p.getDescription().toLowerCase(Locale.ROOT).contains(term)
                || p.getTags().stream().anyMatch(t -> t.contains(term)));
    }

    @Transactional
    public Project get(long id) {
        access.require(Permission.READ);
        return find(id);
    }

    /**
     * Every project's name by id, archived ones included, for documents that name them (invoices). No permission
     * check: the calling service has checked, or it is a job acting as the tenant.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Map<Long, String> names() {
        return em.createQuery("select p.id, p.name from Project p", Object[].class).getResultStream()
                .collect(Collectors.toMap(r -> (Long) r[0], r -> (String) r[1]));
    }

    @Transactional
    public long count() {
        access.require(Permission.READ);
        return em.createQuery("select count(p) from Project p where p.archivedAt is null", Long.class)
                .getSingleResult();
    }

    @Transactional
    public Project create(ProjectForm form) {
        Actor actor = access.require(Permission.MANAGE_PROJECTS);
        Project project = new Project(checkName(form.name(), null), actor.userId(), clock.instant());
        apply(project, form);
        em.persist(project);
        audit.record("project.created", project.getName(), null, project.summary());
        return project;
    }

    @Transactional
    public Project update(long id, ProjectForm form) {
        return update(id, null, project -> form);
    }

    /**
     * Changes the project as {@code change} says from what it is now, with the row locked: an {@code ifMatch} that is
     * not its current {@link Project#etag()} is refused (a PreconditionFailedException) and nothing changes.
     * {@code ifMatch} null: no precondition.
     */
    @Transactional
    public Project update(long id, String ifMatch, Function<Project, ProjectForm> change) {
        access.require(Permission.MANAGE_PROJECTS);
        Project project = Optional.ofNullable(em.find(Project.class, id, LockModeType.PESSIMISTIC_WRITE))
                .orElseThrow(() -> new NotFoundException("Project"));
        ETag.check(ifMatch, project.etag(), "The project");
        ProjectForm form = change.apply(project);
        String before = project.summary();
        checkName(form.name(), project.getId());
        apply(project, form);
        if (!before.equals(project.summary())) {
            audit.record("project.updated", project.getName(), before, project.summary());
        }
        return project;
    }

    @Transactional
    public void archive(long id) {
        access.require(Permission.MANAGE_PROJECTS);
        Project project = find(id);
        if (!project.isArchived()) {
            project.archive(clock.instant());
            audit.record("project.archived", project.getName(), "active", "archived");
        }
    }

    @Transactional
    public void restore(long id) {
        access.require(Permission.MANAGE_PROJECTS);
        Project project = find(id);
        if (project.isArchived()) {
            project.restore(clock.instant());
            audit.record("project.restored", project.getName(), "archived", "active");
        }
    }

    private void apply(Project project, ProjectForm form) {
        String name = checkName(form.name(), project.getId());
        String description = form.description() == null ? "" : form.description().strip();
        if (description.length() > Project.DESCRIPTION_MAX) {
            throw new BadInputException("description",
                    "Keep the description under " + Project.DESCRIPTION_MAX + " characters");
        }
        project.update(name, description, parseTags(form.tags()), form.previewEnabled(), clock.instant());
    }

    private String checkName(String value, Long self) {
        String name = Text.required("name", "Project name", value, Project.NAME_MAX);
        boolean taken = em.createQuery("select count(p) from Project p where lower(p.name) = lower(:name)"
                        + " and (:self is null or p.id <> :self)", Long.class)
                .setParameter("name", name)
                .setParameter("self", self)
                .getSingleResult() > 0;
        if (taken) {
            throw new BadInputException("name", "A project named “" + name + "” already exists");
        }
        return name;
    }

    /** "NLP, vision , nlp" becomes [nlp, vision]. */
    static List<String> parseTags(String value) {
        if (value == null || value.isBlank()) {
            return List.of();
        }
        LinkedHashSet<String> tags = new LinkedHashSet<>();
        for (String raw : value.split(",")) {
            String tag = raw.strip().toLowerCase(Locale.ROOT);
            if (tag.isEmpty()) {
                continue;
            }
            if (tag.length() > Project.TAG_MAX) {
                throw new BadInputException("tags", "Keep each tag under " + Project.TAG_MAX + " characters");
            }
            tags.add(tag);
        }
        if (tags.size() > Project.TAGS_MAX) {
            throw new BadInputException("tags", "Use at most " + Project.TAGS_MAX + " tags");
        }
        return List.copyOf(tags);
    }

    private Project find(long id) {
        return Optional.ofNullable(em.find(Project.class, id)).orElseThrow(() -> new NotFoundException("Project"));
    }

}
