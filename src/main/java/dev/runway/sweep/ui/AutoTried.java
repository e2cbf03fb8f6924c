package dev.runway.sweep.ui;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import dev.runway.base.ui.Formats;
import dev.runway.sweep.AutoPlan;
import dev.runway.sweep.Sweep;
import dev.runway.sweep.SweepService;
import dev.runway.sweep.SweepTrial;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** "What Auto tried" on an Auto search's page: the data's shape and the family chosen, the search, and its outcome. */
final class AutoTried {

    private AutoTried() {}

    /** @param model the registered model version's label ("version 7"), looked up by the view */
    static Component describe(SweepService.Details d, AutoPlan.Choice choice, Function<Long, String> model) {
        Sweep s = d.sweep();
        Div box = new Div(new H3("What Auto tried"));
        box.addClassName("auto-tried");
        box.add(new Paragraph(choice.why()));
        box.add(new Paragraph("Search: " + choice.search() + ". Up to " + s.getMaxTrials() + " trials, "
                + s.getParallel() + " at once, within " + s.getTimeLimit().orElseThrow().toMinutes() + " min (until "
                + Formats.dateTime(s.getDeadline().orElseThrow()) + ") and " + SweepService.money(s.getCapAmount(), s)
                + "."));
        Map<SweepTrial.Status, Long> counts = d.trials().stream().collect(Collectors.groupingBy(
                t -> t.trial().getStatus(), Collectors.counting()));
        String tally = counts.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> e.getValue() + " " + e.getKey().name().toLowerCase(Locale.ROOT))
                .collect(Collectors.joining(", "));
        Function<SweepService.TrialView, String> best = b -> "trial " + b.trial().getNumber() + " is the best ("
                + s.getObjective().label() + " " + String.format(Locale.ROOT, "%.4f", b.trial().getObjective())
                + ")";
        Paragraph outcome = new Paragraph("Trials: " + tally + (d.best().map(b -> "; " + best.apply(b))
                .orElse("; no trial has succeeded yet")) + ".");
        outcome.setId("auto-outcome");
        box.add(outcome);
        if (s.getModelVersionId().isPresent()) {
            long id = s.getModelVersionId().get();
            Anchor link = new Anchor("models/" + id, model.apply(id));
            link.setId("auto-model");
            box.add(new Paragraph(new Span("Auto registered the best trial's model, "), link,
                    new Span(", as the project's “" + SweepService.CANDIDATE + "”.")));
        } else if (s.getStatus().finished()) {
            box.add(new Paragraph(s.getStatus() == Sweep.Status.CANCELLED ? "Cancelled: no model was registered."
                    : "No trial succeeded, so no model was registered"
                    + (s.getStopReason() == null ? "." : ": " + s.getStopReason())));
        }
        return box;
    }
}
