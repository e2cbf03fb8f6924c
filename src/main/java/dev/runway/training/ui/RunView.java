package dev.runway.training.ui;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Pre;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.FlexLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.progressbar.ProgressBar;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.HasDynamicTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.router.RouteParameters;
import com.vaadin.flow.router.RouterLink;
import com.vaadin.flow.shared.Registration;
import dev.runway.base.NotFoundException;
import dev.runway.base.Text;
import dev.runway.base.ui.Figure;
import dev.runway.base.ui.Formats;
import dev.runway.base.ui.LiveUpdates;
import dev.runway.base.ui.Messages;
import dev.runway.base.ui.PageHeader;
import dev.runway.base.ui.SvgChart;
import dev.runway.collaboration.CommentService;
import dev.runway.collaboration.CommentSubject;
import dev.runway.collaboration.ui.CommentsPanel;
import dev.runway.dataset.ui.DatasetVersionView;
import dev.runway.tenancy.Access;
import dev.runway.tenancy.Permission;
import dev.runway.tenancy.RequiresPermission;
import dev.runway.training.Run;
import dev.runway.training.RunResult;
import dev.runway.training.RunCurves;
import dev.runway.training.RunModels;
import dev.runway.training.RunService;
import dev.runway.training.engine.Hyperparameters;
import dev.runway.training.engine.Template;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** One run: status, progress with ETA, live loss and metric curves, results and the log tail, updated by Push. */
@Route("runs/:id")
@RequiresPermission(Permission.READ)
public class RunView extends VerticalLayout implements BeforeEnterObserver, HasDynamicTitle {

    static final int CURVE_POINTS = 400;

    private final RunService runs;
    private final LiveUpdates live;
    private final boolean canManage;
    private final boolean canEvaluate;
    private final Div header = new Div();
    private final ProgressBar bar = new ProgressBar();
    private final Span progressText = new Span();
    private final Div curves = new Div();
    private final Div results = new Div();
    private final Pre log = new Pre();
    private final CommentsPanel comments;
    private long runId;
    private String title = "Run";
    private int metricsShown = -1;

    /** The model version the run registered, for the lineage link (answered by the model registry). */
    @Inject
    RunModels models;

    /** The loss and metric curves, read as columns and downsampled. */
    @Inject
    RunCurves curveData;

    @Inject
    public RunView(RunService runs, LiveUpdates live, Access access, CommentService commentService) {
        this.runs = runs;
        this.live = live;
        this.canManage = access.can(Permission.MANAGE_PROJECTS);
        this.canEvaluate = access.can(Permission.EVALUATE);
        header.setWidthFull();
        progressText.addClassName("progress-text");
        log.addClassName("run-log");
        curves.addClassName("run-curves");
        comments = new CommentsPanel(commentService);
        add(header, bar, progressText, curves, results, new H3("Log"), log, comments);
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        runId = event.getRouteParameters().get("id").filter(s -> s.matches("\\d{1,18}")).map(Long::parseLong)
                .orElse(-1L);
        metricsShown = -1;
        // Subscribe first, then read and render: a run that ends in between (an evaluation takes ~50 ms) still
        // shows as ended. The view may be reused from another run's page, so following replaces what it followed.
        Registration following = live.follow(this, Duration.ofSeconds(1), () -> render(runs.get(runId)));
        try {
            Run run = runs.get(runId);
            title = "Run " + runId;
            render(run);
            comments.show(CommentSubject.Type.RUN, runId);
        } catch (NotFoundException e) {
            following.remove();
            event.rerouteToError(e, e.getMessage());
        }
    }

    /** Shows the run as it is now; idempotent, so the live refresh and the first render may overlap. */
    private boolean render(Run run) {
        header.removeAll();
        Button cancel = new Button("Cancel", e -> act(() -> runs.cancel(runId), "Cancel requested"));
        cancel.addThemeVariants(ButtonVariant.LUMO_ERROR);
        cancel.setVisible(canManage && !run.getStatus().finished());
        Button retry = new Button("Retry", e -> act(() -> runs.retry(runId), "Run queued again"));
        retry.setVisible(canManage && run.getStatus().retryable());
        Button evaluate = new Button("Evaluate on its test split", e -> {
            try {
                Run evaluation = runs.submitEvaluation(runId, run.getDatasetVersionId());
                getUI().ifPresent(ui -> ui.navigate(RunView.class,
                        new RouteParameters("id", evaluation.getId().toString())));
            } catch (RuntimeException ex) {
                Messages.show(ex);
            }
        });
        evaluate.setVisible(canEvaluate && run.getKind() == Run.Kind.TRAIN
                && run.getStatus() == Run.Status.SUCCEEDED);
        String kind = run.getKind() == Run.Kind.TRAIN ? "Training" : "Evaluation";
        header.add(new PageHeader(kind + " run " + run.getId() + " · " + Template.labelOf(run.getTemplate()),
                RunBadges.status(run), evaluate, retry, cancel));
        header.add(facts(run));

        bar.setValue(run.progress());
        bar.setVisible(run.getKind() == Run.Kind.TRAIN);
        progressText.setText(run.getStatus() == Run.Status.QUEUED
                ? runs.waiting(run.getId()).map(RunView::waitingLine).orElse("Waiting for a free executor slot")
                : progressLine(run));

        // A count first: while a run is under way the curves are drawn again only when an epoch was added.
        if (curveData.count(runId) != metricsShown) {
            RunCurves.Curves c = curveData.of(runId, CURVE_POINTS);
            metricsShown = c.epochs();
            curves.removeAll();
            if (c.epochs() > 0) {
                curves.add(chart("Loss", "loss", c.trainLoss(), c.validationLoss()),
                        chart(Labels.curve(runs.task(runId).orElse(null)), "", c.trainMetric(), c.validationMetric()));
            }
        }
        results.removeAll();
        if (run.resultJson() != null) {
            results.add(new H3("Results"), resultView(run));
        }
        if (run.getError() != null) {
            // Errors stored before paths were filtered at the source still hold them: filter on display too.
            Paragraph error = new Paragraph(Text.withoutFilePaths(run.getError()));
            error.addClassName("run-error");
            results.add(new H3(run.getStatus() == Run.Status.STOPPED ? "Why it stopped" : "Why it failed"), error);
        }
        log.setText(runs.logTail(runId).stream()
                .map(l -> Formats.dateTime(l.getLoggedAt()) + "  " + l.getLine()).collect(Collectors.joining("\n")));
        return !run.getStatus().finished();
    }

    private Component facts(Run run) {
        FlexLayout facts = new FlexLayout();
        facts.addClassName("run-facts");
        RouterLink data = new RouterLink("#" + run.getDatasetVersionId(), DatasetVersionView.class,
                new RouteParameters("id", run.getDatasetVersionId().toString()));
        data.setId("run-dataset-version");
        facts.add(linkFigure("Dataset version", data));
        runs.preparationUsed(run.getId()).ifPresent(used -> {
            // The settings go in the caption, which wraps: the card stays the width of its neighbours.
            Div preparation = Figure.small("Preparation: " + used.preparation().describe(), used.label());
            preparation.setId("run-preparation");
            preparation.getStyle().set("max-width", "24rem");
            preparation.getElement().setAttribute("title", "SHA-256 " + used.sha256());
            facts.add(preparation);
        });
        if (run.getKind() == Run.Kind.TRAIN && run.getStatus() == Run.Status.SUCCEEDED) {
            models.modelOf(run.getId()).ifPresent(m -> {
                Anchor model = new Anchor(m.href(), m.label());
                model.getElement().setAttribute("router-link", true);
                model.setId("run-model-version");
                facts.add(linkFigure("Registered as", model));
            });
        }
        if (run.getKind() == Run.Kind.TRAIN) {
            settings(RunService.hyperparameters(run), facts);
        }
        facts.add(Figure.small("Device", run.getDeviceUsed() != null ? run.getDeviceUsed() : run.getRequestedDevice()
                + " (requested)"));
        facts.add(Figure.small("Priority", Integer.toString(run.getPriority())));
        facts.add(Figure.small("Attempt", Integer.toString(run.getAttempt())));
        if (run.getStartedAt() != null) {
            Div cost = Figure.small(run.getStatus().finished() ? "Cost" : "Cost so far",
                    runs.cost(run.getId()).describe());
            cost.setId("run-cost");
            facts.add(cost);
        }
        if (run.getStartedAt() != null) {
            Instant end = run.getFinishedAt() != null ? run.getFinishedAt() : Instant.now();
            facts.add(Figure.small("Duration", duration(Duration.between(run.getStartedAt(), end))));
        }
        if (run.getLostSeconds() > 0) {
            facts.add(Figure.small("Lost to worker failures", String.format("%.1f s (not billed)", run.getLostSeconds())));
        }
        if (run.getLastCheckpointEpoch() != null) {
            facts.add(Figure.small("Last checkpoint", "epoch " + run.getLastCheckpointEpoch()));
        }
        return facts;
    }

    /** The network's size and what its training rows got: part of what the run records about its data. */
    private static void settings(Hyperparameters h, FlexLayout facts) {
        String size = switch (h.template()) {
            case CNN -> h.imageChannels() + " × " + h.imageHeight() + " × " + h.imageWidth() + " image, channels "
                    + layers(h);
            case TRANSFORMER -> "embedding " + h.embeddingSize() + ", " + h.attentionHeads() + " heads, "
                    + h.encoderLayers() + (h.encoderLayers() == 1 ? " layer, " : " layers, ") + h.maxTokens()
                    + " tokens, vocabulary " + h.vocabularySize();
            case MLP -> "layers " + layers(h);
            default -> null;
        };
        if (size != null) {
            Div model = Figure.small("Network", size);
            model.setId("run-network");
            facts.add(model);
        }
        Div augmentation = Figure.small("Augmentation", h.augmentationOrNone().describe());
        augmentation.setId("run-augmentation");
        facts.add(augmentation);
    }

    private static String layers(Hyperparameters h) {
        return h.hiddenLayers() == null ? "" : h.hiddenLayers().stream().map(String::valueOf)
                .collect(Collectors.joining(", "));
    }

    /** A fact whose value opens another page: lineage, clickable. */
    private static Div linkFigure(String label, Component link) {
        link.getElement().getClassList().add("fact-value");
        Span caption = new Span(label);
        caption.addClassName("card-label");
        Div card = new Div(link, caption);
        card.addClassName("card");
        return card;
    }

    /** E.g. "2nd in your company's queue · all 2 executor slots busy"; names no other company. */
    static String waitingLine(RunService.Waiting w) {
        String place = ordinal(w.position()) + " in your company's queue · ";
        if (w.atQuota()) {
            return place + "waiting for your plan's concurrency (" + w.quota() + (w.quota() == 1 ? " run" : " runs")
                    + " at a time)";
        }
        return place + (w.slots() == 1 ? "the executor slot is busy" : "all " + w.slots() + " executor slots busy");
    }

    static String ordinal(int n) {
        int lastTwo = n % 100;
        String suffix = lastTwo >= 11 && lastTwo <= 13 ? "th" : switch (n % 10) {
            case 1 -> "st";
            case 2 -> "nd";
            case 3 -> "rd";
            default -> "th";
        };
        return n + suffix;
    }

    private static String progressLine(Run run) {
        return switch (run.getStatus()) {
            case QUEUED -> "Waiting for a free executor slot";
            case RUNNING -> run.getBatches() == 0 ? "Preparing data" : "Epoch " + run.getEpoch() + " of "
                    + run.getTotalEpochs() + ", batch " + run.getBatch() + " of " + run.getBatches() + eta(run);
            case SUCCEEDED -> "Finished " + Formats.dateTime(run.getFinishedAt());
            case FAILED -> "Failed " + Formats.dateTime(run.getFinishedAt());
            case CANCELLED -> "Cancelled " + Formats.dateTime(run.getFinishedAt());
            case STOPPED -> "Stopped " + Formats.dateTime(run.getFinishedAt()) + ": budget reached; retry to resume "
                    + "from the last checkpoint";
        };
    }

    /** Time left, from the pace so far in this attempt. */
    private static String eta(Run run) {
        double done = run.progress();
        if (run.getStartedAt() == null || done <= 0.01) {
            return "";
        }
        long elapsed = Duration.between(run.getStartedAt(), Instant.now()).toMillis();
        long left = (long) (elapsed / done * (1 - done));
        return " · about " + duration(Duration.ofMillis(left)) + " left";
    }

    private static String duration(Duration d) {
        long s = Math.max(0, d.getSeconds());
        return s < 60 ? s + " s" : s < 3600 ? (s / 60) + " min " + (s % 60) + " s" : (s / 3600) + " h " + (s % 3600 / 60)
                + " min";
    }

    /**
     * Train and validation curves over their epochs, downsampled on the server to at most {@value #CURVE_POINTS} points
     * each: each line at its own epochs (LTTB keeps different ones per series), drawn as one path without markers.
     */
    static Component chart(String title, String unit, RunCurves.Series train, RunCurves.Series validation) {
        return SvgChart.component(SvgChart.xyLines(title, "epoch", unit, List.of(
                new SvgChart.XYSeries("training", SvgChart.MANY_COLOURS.get(0), false, train.epochs(), train.values()),
                new SvgChart.XYSeries("validation", SvgChart.MANY_COLOURS.get(1), false, validation.epochs(),
                        validation.values())), 520, 280, true));
    }

    private Component resultView(Run run) {
        VerticalLayout box = new VerticalLayout();
        box.setPadding(false);
        Optional<RunResult> read = run.result();
        if (read.isEmpty()) {
            box.add(new Paragraph("The result could not be read."));
            return box;
        }
        RunResult result = read.get();
        FlexLayout figures = new FlexLayout();
        figures.addClassName("run-facts");
        result.testMetrics().forEach((k, v) -> figures.add(Figure.small(metricLabel(k), Formats.number(v))));
        result.metrics().forEach((k, v) -> figures.add(Figure.small(metricLabel(k), Formats.number(v))));
        result.coefficients().forEach((k, v) -> figures.add(Figure.small(Labels.coefficient(k), Formats.number(v))));
        box.add(figures);
        // Regressions carry an empty matrix: no heading over an empty box.
        if (!result.confusion().isEmpty() && !result.labels().isEmpty()) {
            box.add(new Paragraph("Confusion matrix (rows: actual, columns: predicted)"),
                    confusion(result.labels(), result.confusion()));
        }
        if (!result.points().isEmpty()) {
            List<SvgChart.Point> points = new ArrayList<>();
            for (int i = 0; i < Math.min(result.points().size(), 60); i++) {
                RunResult.Point p = result.points().get(i);
                points.add(new SvgChart.Point(Integer.toString(i + 1), p.predicted() - p.actual()));
            }
            box.add(SvgChart.component(SvgChart.bars("Residuals (predicted − actual), first test rows", "",
                    List.of(new SvgChart.Series("residual", points)), 620, 260)));
        }
        if (!result.importance().isEmpty()) {
            List<SvgChart.Point> points = result.importance().stream().limit(30)
                    .map(e -> new SvgChart.Point(e.feature(), e.importance())).toList();
            box.add(SvgChart.component(SvgChart.bars("Permutation feature importance", "",
                    List.of(new SvgChart.Series("importance", points)), 620, 280)));
        }
        return box;
    }

    private static String metricLabel(String key) {
        String name = Labels.metric(key);
        // "Test accuracy", "Test F1": acronyms keep their capitals.
        return "Test " + (name.length() > 1 && Character.isLowerCase(name.charAt(1)) ? name.toLowerCase() : name);
    }

    private static Component confusion(List<String> labels, List<List<Long>> matrix) {
        StringBuilder text = new StringBuilder(String.format("%-14s", ""));
        labels.forEach(l -> text.append(String.format("%12s", clip(l))));
        text.append('\n');
        for (int i = 0; i < matrix.size(); i++) {
            text.append(String.format("%-14s", clip(labels.get(i))));
            matrix.get(i).forEach(v -> text.append(String.format("%12d", v)));
            text.append('\n');
        }
        return new Pre(text.toString());
    }

    private static String clip(String s) {
        return s.length() > 11 ? s.substring(0, 10) + "…" : s;
    }

    private void act(Runnable action, String success) {
        try {
            action.run();
            Messages.success(success);
            render(runs.get(runId));
        } catch (RuntimeException e) {
            Messages.show(e);
        }
    }

    @Override
    public String getPageTitle() {
        return title + " · Runway";
    }

}
