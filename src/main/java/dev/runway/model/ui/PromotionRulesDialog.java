package dev.runway.model.ui;

import com.vaadin.flow.component.HasValidation;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.checkbox.Checkbox;
import com.vaadin.flow.component.checkbox.CheckboxGroup;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.IntegerField;
import com.vaadin.flow.component.textfield.NumberField;
import com.vaadin.flow.component.textfield.TextField;
import dev.runway.base.BadInputException;
import dev.runway.base.ui.Messages;
import dev.runway.model.ModelLifecycle;
import dev.runway.model.PromotionRules;
import dev.runway.tenancy.Role;
import java.util.Map;

/** Owners and admins set a project's promotion rules: roles per stage, approvals, the metric gate. */
final class PromotionRulesDialog extends Dialog {

    PromotionRulesDialog(ModelLifecycle lifecycle, long projectId, String projectName, Runnable saved) {
        setHeaderTitle("Promotion rules · " + projectName);
        setWidth("min(640px, 95vw)");
        PromotionRules rules = lifecycle.rules(projectId);

        CheckboxGroup<Role> staging = roles("Staging", rules.stagingRoles());
        staging.setHelperText("Who may move versions to Staging, archive them and set aliases");
        CheckboxGroup<Role> production = roles("Production", rules.productionRoles());
        production.setHelperText("Who may promote to Production (or take a version out), approve, and roll back");
        IntegerField approvals = new IntegerField("Approvals for Production");
        approvals.setMin(0);
        approvals.setMax(PromotionRules.APPROVALS_MAX);
        approvals.setStepButtonsVisible(true);
        approvals.setValue(rules.approvalsRequired());
        approvals.setHelperText("0: a permitted member promotes at once. Approvers hold a Production role and are "
                + "never the requester.");

        Checkbox gated = new Checkbox("Metric gate for Production", rules.gate() != null);
        TextField metric = new TextField("Metric");
        metric.setPlaceholder("accuracy, f1, mse, r2 …");
        Select<PromotionRules.Operator> operator = new Select<>();
        operator.setLabel("Must be");
        operator.setItems(PromotionRules.Operator.values());
        operator.setItemLabelGenerator(PromotionRules.Operator::symbol);
        NumberField threshold = new NumberField("Threshold");
        if (rules.gate() != null) {
            metric.setValue(rules.gate().metric());
            operator.setValue(rules.gate().operator());
            threshold.setValue(rules.gate().threshold());
        } else {
            operator.setValue(PromotionRules.Operator.GTE);
        }
        Runnable toggle = () -> {
            metric.setEnabled(gated.getValue());
            operator.setEnabled(gated.getValue());
            threshold.setEnabled(gated.getValue());
        };
        gated.addValueChangeListener(e -> toggle.run());
        toggle.run();

        FormLayout form = new FormLayout(staging, production, approvals, gated, metric, operator, threshold);
        form.setResponsiveSteps(new FormLayout.ResponsiveStep("0", 1), new FormLayout.ResponsiveStep("480px", 3));
        form.setColspan(staging, 3);
        form.setColspan(production, 3);
        form.setColspan(approvals, 3);
        form.setColspan(gated, 3);
        add(form);

        Map<String, HasValidation> fields = Map.of("stagingRoles", staging, "productionRoles", production,
                "approvalsRequired", approvals, "gateMetric", metric, "gateOperator", operator,
                "gateThreshold", threshold);
        Button save = new Button("Save rules", e -> {
            Messages.clear(fields);
            try {
                PromotionRules.Gate gate = null;
                if (gated.getValue()) {
                    if (threshold.getValue() == null) {
                        throw new BadInputException("gateThreshold", "Enter the gate's threshold, e.g. 0.95");
                    }
                    gate = new PromotionRules.Gate(metric.getValue(), operator.getValue(), threshold.getValue());
                }
                lifecycle.saveRules(projectId, new PromotionRules(staging.getValue(), production.getValue(),
                        approvals.getValue() == null ? -1 : approvals.getValue(), gate));
                Messages.success("Promotion rules saved");
                close();
                saved.run();
            } catch (RuntimeException ex) {
                Messages.show(ex, fields);
            }
        });
        save.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        getFooter().add(new Button("Cancel", e -> close()), save);
    }

    private static CheckboxGroup<Role> roles(String label, java.util.Set<Role> value) {
        CheckboxGroup<Role> group = new CheckboxGroup<>(label);
        group.setItems(Role.values());
        group.setItemLabelGenerator(Role::label);
        group.setValue(value);
        return group;
    }
}
