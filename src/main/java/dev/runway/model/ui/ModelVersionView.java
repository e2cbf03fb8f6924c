package dev.runway.model.ui;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.datetimepicker.DateTimePicker;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.FlexLayout;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.HasDynamicTitle;
import com.vaadin.flow.router.Route;
import dev.runway.base.NotFoundException;
import dev.runway.base.ui.Figure;
import dev.runway.base.ui.Formats;
import dev.runway.base.ui.Messages;
import dev.runway.base.ui.PageHeader;
import dev.runway.collaboration.CommentService;
import dev.runway.collaboration.CommentSubject;
import dev.runway.collaboration.ui.CommentsPanel;
import dev.runway.dataset.DatasetService;
import dev.runway.model.LifecycleEvent;
import dev.runway.model.ModelLineage;
import dev.runway.model.ModelImports;
import dev.runway.model.ModelLifecycle;
import dev.runway.model.ModelService;
import dev.runway.model.ModelStage;
import dev.runway.model.ModelVersion;
import dev.runway.model.PromotionRules;
import dev.runway.project.ProjectService;
import dev.runway.tenancy.Access;
import dev.runway.tenancy.Permission;
import dev.runway.tenancy.RequiresPermission;
import dev.runway.training.engine.Template;
import dev.runway.training.ui.Labels;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * One model version and its project's lifecycle: the stage and aliases, the stage actions the member's role allows
 * (with approvals when the project wants them), a pending request, rollback, the timeline, and "what was in
 * Production at …".
 */
@Route("models/:id")
@RequiresPermission(Permission.READ)
public class ModelVersionView extends VerticalLayout implements BeforeEnterObserver, HasDynamicTitle {

    private final ModelService models;
    private final ModelLifecycle lifecycle;
    private final ProjectService projects;
    private final Clock clock;
    private final CommentService comments;
    private final boolean canEditRules;
    private final boolean canEvaluate;
    private final ModelImports imports;
    private final DatasetService datasets;
    private final VerticalLayout content = new VerticalLayout();
    private long versionId;
    private String title = "Model";

    /** The preparation revision its run trained with, for the lineage line. */
    @Inject
    ModelLineage modelLineage;

    @Inject
    public ModelVersionView(ModelService models, ModelLifecycle lifecycle, ProjectService projects, Access access,
            Clock clock, CommentService comments, ModelImports imports, DatasetService datasets) {
        this.models = models;
        this.imports = imports;
        this.datasets = datasets;
        this.canEvaluate = access.can(Permission.EVALUATE);
        this.comments = comments;
        this.clock = clock;
        this.lifecycle = lifecycle;
        this.projects = projects;
        this.canEditRules = access.can(Permission.MANAGE_SETTINGS);
        content.setWidthFull();
        content.setPadding(false);
        content.addClassName("model-lifecycle");
        add(content);
    }

    /** " with preparation revision 2 (target …)", or nothing for a run from before revisions were kept. */
    private Span preparation(ModelVersion version) {
        Span span = new Span(modelLineage.preparationOf(version).map(used -> " with preparation " + used.label()
                + ": " + used.preparation().describe()).orElse(""));
        span.setId("model-preparation");
        return span;
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        versionId = event.getRouteParameters().get("id").filter(s -> s.matches("\\d{1,18}")).map(Long::parseLong)
                .orElse(-1L);
        try {
            render();
        } catch (NotFoundException e) {
            event.rerouteToError(e, e.getMessage());
        }
    }

    @Override
    public String getPageTitle() {
        return title + " · Runway";
    }

    private void render() {
        ModelVersion version = models.get(versionId);
        String project = projects.get(version.getProjectId()).getName();
        PromotionRules rules = lifecycle.rules(version.getProjectId());
        title = project + " v" + version.getVersion();
        content.removeAll();

        Button rulesButton = new Button("Promotion rules", e -> new PromotionRulesDialog(lifecycle,
                version.getProjectId(), project, this::render).open());
        rulesButton.setVisible(canEditRules);
        PageHeader header = new PageHeader(title, stageBadge(version.getStage()), rulesButton);
        header.getStyle().set("flex-wrap", "wrap");
        content.add(header);

        FlexLayout facts = new FlexLayout(
                Figure.small("Template", Template.labelOf(version.getTemplate())),
                Figure.small("Test metrics", version.isImported() ? "none: evaluate it on a dataset below"
                        : ModelService.metrics(version).entrySet().stream()
                        .filter(e -> !e.getKey().startsWith("coef_"))
                        .map(e -> Labels.metric(e.getKey()) + " " + Formats.number(e.getValue()))
                        .collect(Collectors.joining(" · "))),
                Figure.small("Created", Formats.dateTime(version.getCreatedAt())),
                Figure.small("Model files", Formats.bytes(models.artifactBytes(version))));
        String coefficients = ModelService.metrics(version).entrySet().stream()
                .filter(e -> e.getKey().startsWith("coef_"))
                .map(e -> Labels.metric(e.getKey()) + " " + Formats.number(e.getValue()))
                .collect(Collectors.joining(" · "));
        if (!coefficients.isEmpty()) {
            facts.add(Figure.small("Coefficients", coefficients));
        }
        facts.addClassName("cards");
        facts.setFlexWrap(FlexLayout.FlexWrap.WRAP);
        Paragraph lineage = version.isImported() ? new Paragraph("Imported from a file (" + version.getTemplate()
                .toLowerCase(java.util.Locale.ROOT) + "), not trained here")
                : new Paragraph(new Span("Trained by "), LineageLinks.run(version),
                new Span(" on dataset version "), LineageLinks.data(version), preparation(version));
        lineage.setId("model-lineage");
        content.add(facts, lineage);

        if (version.isImported() && canEvaluate) {
            content.add(new EvaluateVersion(imports, datasets, version));
        }
        content.add(stageActions(version, rules));
        if (rules.gate() != null) {
            content.add(gate(rules.gate()));
        }
        content.add(aliases(version, rules));
        lifecycle.pending(versionId).ifPresent(p -> content.add(pending(p)));
        content.add(new H3("History"), productionAt(version.getProjectId()),
                timeline(version.getProjectId(), project));
        content.add(new CommentsPanel(comments).show(CommentSubject.Type.MODEL_VERSION, version.getId()));
    }

    private Component stageActions(ModelVersion version, PromotionRules rules) {
        HorizontalLayout actions = new HorizontalLayout();
        actions.setAlignItems(FlexComponent.Alignment.BASELINE);
        actions.getStyle().set("flex-wrap", "wrap");
        actions.addClassName("stage-actions");
        for (ModelStage target : ModelStage.values()) {
            if (target == version.getStage() || !lifecycle.mayMove(versionId, target)) {
                continue;
            }
            boolean asks = target == ModelStage.PRODUCTION && rules.approvalsRequired() > 0;
            String label = asks ? "Request Production" : switch (target) {
                case PRODUCTION -> "Promote to Production";
                case STAGING -> "Move to Staging";
                case ARCHIVED -> "Archive";
                case NONE -> "Clear stage";
            };
            Button button = new Button(label, e -> new CommentDialog(label + " · v" + version.getVersion(),
                    explanation(version, target, rules), asks ? "Request" : label, comment -> {
                        ModelLifecycle.Outcome outcome = lifecycle.changeStage(versionId, target, comment);
                        Messages.success(outcome.made() ? "Version " + version.getVersion() + " is now in "
                                + target.label() : "Asked for approval (" + rules.approvalsRequired() + " needed)");
                        render();
                    }).open());
            if (target == ModelStage.PRODUCTION) {
                button.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
            }
            actions.add(button);
        }
        Optional<ModelVersion> back = version.getStage() == ModelStage.PRODUCTION
                ? lifecycle.rollbackTarget(version.getProjectId()) : Optional.empty();
        if (back.isPresent() && lifecycle.mayMove(back.get().getId(), ModelStage.PRODUCTION)) {
            String label = "Roll back to v" + back.get().getVersion();
            Button rollback = new Button(label, e -> new CommentDialog(label,
                    "v" + back.get().getVersion() + " goes back into Production and v" + version.getVersion()
                            + " is archived.", "Roll back", comment -> {
                        lifecycle.rollback(version.getProjectId(), comment);
                        Messages.success("Rolled back to v" + back.get().getVersion());
                        render();
                    }).open());
            rollback.addThemeVariants(ButtonVariant.LUMO_ERROR);
            actions.add(rollback);
        }
        return actions;
    }

    /** The gate and this version's figure for it, so that nobody promotes blind. */
    private Component gate(PromotionRules.Gate gate) {
        ModelLifecycle.Figures figures = lifecycle.figures(versionId);
        Double value = figures.metrics().get(gate.metric());
        Span line = new Span("Production gate: " + gate + " · this version: " + (value == null
                ? "no " + gate.metric() + " figure" : Formats.number(value) + " (" + figures.source().toLowerCase(Locale.ROOT)
                + ")"));
        line.addClassName("production-gate");
        return line;
    }

    private static String explanation(ModelVersion version, ModelStage target, PromotionRules rules) {
        if (target != ModelStage.PRODUCTION) {
            return null;
        }
        String text = "The version now in Production, if any, is archived.";
        if (rules.gate() != null) {
            text += " This project's gate: " + rules.gate() + ".";
        }
        if (rules.approvalsRequired() > 0) {
            text = rules.approvalsRequired() + " approval" + (rules.approvalsRequired() == 1 ? "" : "s")
                    + " from another member with a Production role make the change. " + text;
        }
        return text;
    }

    private Component aliases(ModelVersion version, PromotionRules rules) {
        HorizontalLayout row = new HorizontalLayout();
        row.setAlignItems(FlexComponent.Alignment.BASELINE);
        row.getStyle().set("flex-wrap", "wrap");
        row.add(new Span("Aliases:"));
        List<String> names = lifecycle.aliases(versionId);
        if (names.isEmpty()) {
            row.add(new Span("none"));
        }
        names.forEach(n -> row.add(chip(n)));
        if (lifecycle.mayMove(versionId, ModelStage.STAGING)) {
            TextField alias = new TextField();
            alias.setPlaceholder("e.g. champion");
            alias.setAriaLabel("Alias");
            alias.setMaxLength(32);
            alias.setWidth("12em");
            Button set = new Button("Set alias", e -> new CommentDialog("Point “" + alias.getValue().strip()
                    + "” at v" + version.getVersion(), "An alias points at one version at a time: it moves here "
                    + "from any other version of the project.", "Set alias", comment -> {
                        lifecycle.setAlias(versionId, alias.getValue(), comment);
                        Messages.success("“" + alias.getValue().strip() + "” now points at v" + version.getVersion());
                        render();
                    }).open());
            row.add(alias, set);
        }
        return row;
    }

    private Component pending(ModelLifecycle.Pending p) {
        Div card = new Div();
        card.addClassName("pending-request");
        card.getStyle().set("border", "1px solid var(--lumo-warning-color, #e0a000)")
                .set("border-radius", "var(--lumo-border-radius-l)").set("padding", "var(--lumo-space-m)")
                .set("margin", "var(--lumo-space-m) 0").set("background", "var(--lumo-contrast-5pct)");
        card.add(new H3("Pending: move to " + p.request().getTargetStage().label()));
        card.add(new Paragraph(p.requester() + " asked on " + Formats.dateTime(p.request().getCreatedAt()) + ": “"
                + p.request().getComment() + "”"));
        card.add(new Paragraph(p.approvers().size() + " of " + p.request().getApprovalsRequired() + " approvals"
                + (p.approvers().isEmpty() ? "" : ": " + String.join(", ", p.approvers()))));
        HorizontalLayout buttons = new HorizontalLayout();
        if (p.mayApprove()) {
            Button approve = new Button("Approve", e -> new CommentDialog("Approve v" + p.version(), null,
                    "Approve", comment -> {
                        ModelLifecycle.Outcome outcome = lifecycle.approve(versionId, comment);
                        Messages.success(outcome.made() ? "Approved: v" + p.version() + " is now in "
                                + p.request().getTargetStage().label() : "Approved; more approvals needed");
                        render();
                    }).open());
            approve.addThemeVariants(ButtonVariant.LUMO_PRIMARY, ButtonVariant.LUMO_SUCCESS);
            buttons.add(approve);
        }
        if (p.mayReject()) {
            String verb = p.mayApprove() ? "Reject" : "Withdraw";
            Button reject = new Button(verb, e -> new CommentDialog(verb + " the request", null, verb, comment -> {
                lifecycle.reject(versionId, comment);
                Messages.success("Request " + (p.mayApprove() ? "rejected" : "withdrawn"));
                render();
            }).open());
            reject.addThemeVariants(ButtonVariant.LUMO_ERROR);
            buttons.add(reject);
        }
        card.add(buttons);
        return card;
    }

    private Component productionAt(long projectId) {
        Div box = new Div();
        box.addClassName("production-at");
        DateTimePicker at = new DateTimePicker("What was in Production at");
        at.setMaxWidth("100%");
        at.setValue(LocalDateTime.ofInstant(clock.instant(), Formats.zone()).withSecond(0).withNano(0));
        Span answer = new Span();
        answer.addClassName("production-at-answer");
        Button ask = new Button("Ask", e -> {
            if (at.getValue() == null) {
                answer.setText("Choose a date and time");
                return;
            }
            Instant instant = at.getValue().atZone(Formats.zone()).toInstant();
            answer.setText(lifecycle.productionAt(projectId, instant)
                    .map(v -> "v" + v.getVersion() + " was in Production then")
                    .orElse("No version was in Production then"));
        });
        HorizontalLayout row = new HorizontalLayout(at, ask);
        row.setAlignItems(FlexComponent.Alignment.BASELINE);
        row.getStyle().set("flex-wrap", "wrap");
        box.add(row, answer);
        return box;
    }

    private Component timeline(long projectId, String project) {
        Div list = new Div();
        list.addClassName("lifecycle-timeline");
        list.setWidthFull();
        List<ModelLifecycle.TimelineEntry> entries = lifecycle.timeline(projectId);
        if (entries.isEmpty()) {
            list.add(new Paragraph("No stage changes or alias moves in " + project + " yet."));
        }
        for (ModelLifecycle.TimelineEntry entry : entries) {
            LifecycleEvent e = entry.event();
            String what = e.getKind() == LifecycleEvent.Kind.STAGE
                    ? "v" + entry.version() + ": " + e.getFromStage().label() + " → " + e.getToStage().label()
                    : "“" + e.getAlias() + "” → v" + entry.version()
                            + (entry.fromVersion() == null ? "" : " (was v" + entry.fromVersion() + ")");
            String who = (e.getRequestId() != null ? "requested by " : "by ") + entry.actor()
                    + (entry.approvers().isEmpty() ? "" : ", approved by " + String.join(", ", entry.approvers()));
            Div item = new Div(new Span(Formats.dateTime(e.getOccurredAt())), new Span(" · "),
                    strong(what), new Span(" · " + who + " — " + e.getComment()));
            item.addClassName("timeline-entry");
            item.getStyle().set("padding", "var(--lumo-space-xs) 0")
                    .set("border-bottom", "1px solid var(--lumo-contrast-10pct)");
            list.add(item);
        }
        return list;
    }

    private static Span strong(String text) {
        Span s = new Span(text);
        s.getStyle().set("font-weight", "600");
        return s;
    }

    private static Span chip(String alias) {
        Span chip = new Span(alias);
        chip.addClassName("alias-chip");
        chip.getStyle().set("background", "var(--lumo-primary-color-10pct)")
                .set("color", "var(--lumo-primary-text-color)").set("border-radius", "1em").set("padding", "0 0.6em").set("font-size", "var(--lumo-font-size-s)");
        return chip;
    }

    /** A stage as a coloured badge (used by the models list too). */
    static Span stageBadge(ModelStage stage) {
        Span badge = new Span(stage.label());
        badge.addClassName("stage-badge");
        String[] colours = switch (stage) {
            case PRODUCTION -> new String[] {"var(--lumo-success-color)", "var(--lumo-success-contrast-color)"};
            case STAGING -> new String[] {"var(--lumo-primary-color)", "var(--lumo-primary-contrast-color)"};
            case ARCHIVED -> new String[] {"var(--lumo-contrast-30pct)", "var(--lumo-body-text-color)"};
            case NONE -> new String[] {"var(--lumo-contrast-10pct)", "var(--lumo-secondary-text-color)"};
        };
        badge.getStyle().set("background", colours[0]).set("color", colours[1]).set("border-radius", "1em")
                .set("padding", "0.1em 0.7em").set("font-size", "var(--lumo-font-size-s)").set("font-weight", "600")
                .set("white-space", "nowrap");
        return badge;
    }
}
