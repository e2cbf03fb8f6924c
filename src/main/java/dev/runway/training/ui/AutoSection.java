package dev.runway.training.ui;

import com.vaadin.flow.component.HasValidation;
import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.textfield.IntegerField;
import dev.runway.base.BadInputException;
import dev.runway.base.Money;
import dev.runway.base.ui.AmountField;
import dev.runway.training.AutoRuns;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Currency;
import java.util.Map;

/**
 * The New run dialog's part for Auto (its default choice): what Auto would do on the chosen version, and its time and
 * money limits, filled with the defaults and shown before it starts.
 */
class AutoSection extends Div {

    static final String LABEL = "Auto (recommended)";

    private final AutoRuns auto;
    private final Paragraph plan = new Paragraph();
    private final Paragraph search = new Paragraph();
    private final IntegerField minutes = new IntegerField("Time limit (minutes)");
    private final AmountField money = new AmountField("Money limit");
    private Long versionId;

    AutoSection(AutoRuns auto) {
        this.auto = auto;
        setId("auto-section");
        plan.setId("auto-plan");
        search.setId("auto-search");
        search.addClassName("run-estimate");
        minutes.setId("auto-time-limit");
        minutes.setMin(1);
        minutes.setMax(1440);
        minutes.setHelperText("No trial starts after it; running trials stop at it");
        money.setId("auto-money-limit");
        money.setHelperText("The trials together never start past it");
        FormLayout limits = new FormLayout(minutes, money);
        limits.setWidth("640px");
        limits.setMaxWidth("100%");
        add(plan, search, limits);
    }

    /** Shows Auto's plan for the version (or why it cannot train) with its default limits. */
    void show(Long datasetVersionId) {
        versionId = datasetVersionId;
        minutes.setInvalid(false);
        money.setInvalid(false);
        if (datasetVersionId == null) {
            plan.setText("Choose a dataset: Auto reads its shape (a table, images or text) and picks the model.");
            search.setText("");
            return;
        }
        try {
            AutoRuns.Preview p = auto.preview(datasetVersionId);
            Currency currency = Currency.getInstance(p.currency());
            plan.setText(p.why());
            search.setText("It tries " + p.trials() + " settings (" + p.parallel() + " at once): " + p.search()
                    + ". The best is registered as the project's “candidate” model. Estimated for all trials at "
                    + "their full epochs: " + (p.estimate().compareTo(Money.smallest(currency)) < 0 ? "under "
                    + Money.format(Money.smallest(currency), currency) : Money.format(p.estimate(), currency))
                    + ".");
            minutes.setValue((int) p.timeLimit().toMinutes());
            money.setValue(p.moneyLimit());
            money.setSuffixComponent(new Span(p.currency()));
        } catch (BadInputException e) {
            plan.setText(e.getMessage());
            search.setText("");
        }
    }

    /** Starts Auto on the shown version with the limits entered; returns its sweep's id. */
    long start() {
        if (versionId == null) {
            throw new BadInputException("dataset", "Choose a dataset");
        }
        if (minutes.getValue() == null) {
            throw new BadInputException("timeLimit", "Enter the time limit in minutes, 1 to 1440");
        }
        BigDecimal limit = money.amount("budget");
        if (limit == null) {
            throw new BadInputException("budget", "Enter the most Auto may spend");
        }
        return auto.start(versionId, Duration.ofMinutes(minutes.getValue()), limit);
    }

    /** The fields a refusal may name. */
    Map<String, HasValidation> fields() {
        return Map.of("timeLimit", minutes, "budget", money);
    }
}
