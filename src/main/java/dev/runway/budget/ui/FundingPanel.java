package dev.runway.budget.ui;

import dev.runway.base.ui.AmountField;
import static dev.runway.budget.ui.BudgetPage.DAY;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.datepicker.DatePicker;
import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.TextField;
import dev.runway.base.ui.FormDialog;
import dev.runway.budget.FundingKind;
import dev.runway.budget.FundingService;
import dev.runway.budget.FundingSource;
import java.util.List;
import java.util.Map;

/** The Budget page's funding: the list with Edit and Delete, and the form that records or changes an entry. */
class FundingPanel extends VerticalLayout {

    FundingPanel(FundingService funding, BudgetPage page) {
        setPadding(false);
        setWidthFull();
        add(new H3("Funding"));
        List<FundingSource> items = funding.funding();
        if (items.isEmpty()) {
            add(new Paragraph("No funding recorded yet."));
            return;
        }
        Grid<FundingSource> grid = new Grid<>(FundingSource.class, false);
        grid.addColumn(f -> DAY.format(f.getReceivedOn())).setHeader("Received").setSortable(true)
                .setComparator(FundingSource::getReceivedOn).setAutoWidth(true).setFlexGrow(0);
        grid.addColumn(f -> f.getKind().label()).setHeader("Kind").setSortable(true).setAutoWidth(true)
                .setFlexGrow(0);
        BudgetPage.amountColumn(grid, f -> page.money(f.getAmount()), "Amount").setSortable(true)
                .setComparator(FundingSource::getAmount);
        grid.addColumn(FundingSource::getNote).setHeader("Note").setFlexGrow(2).setWidth("12em");
        if (page.canManage()) {
            grid.addComponentColumn(f -> {
                Button edit = new Button("Edit", e -> open(funding, page, f));
                edit.addThemeVariants(ButtonVariant.LUMO_TERTIARY);
                return new HorizontalLayout(edit, page.deleteButton("Delete this funding?",
                        page.money(f.getAmount()) + " received " + DAY.format(f.getReceivedOn()) + " is removed "
                                + "from cash on hand.", () -> funding.deleteFunding(f.getId()), "Funding deleted"));
            }).setFlexGrow(0).setWidth("200px");
        }
        grid.setItems(items);
        grid.setAllRowsVisible(true);
        grid.addThemeVariants(GridVariant.LUMO_ROW_STRIPES);
        add(grid);
    }

    /** The funding form: {@code existing} null records new funding. */
    static void open(FundingService funding, BudgetPage page, FundingSource existing) {
        FormDialog dialog = new FormDialog(existing == null ? "Record funding" : "Change funding", "Save", "Cancel");
        Select<FundingKind> kind = new Select<>();
        kind.setLabel("Kind");
        kind.setItems(FundingKind.values());
        kind.setItemLabelGenerator(FundingKind::label);
        kind.setValue(existing == null ? FundingKind.VENTURE : existing.getKind());
        AmountField amount = new AmountField("Amount");
        String code = page.currency().getCurrencyCode();
        TextField currencyField = new TextField("Currency");
        currencyField.setValue(code);
        currencyField.setHelperText("The company's amounts are in " + code);
        DatePicker received = new DatePicker("Date received", existing == null ? page.today()
                : existing.getReceivedOn());
        TextField note = new TextField("Note");
        note.setMaxLength(FundingSource.NOTE_MAX);
        if (existing != null) {
            amount.setValue(existing.getAmount());
            note.setValue(existing.getNote());
        }
        FormLayout form = new FormLayout(kind, amount, currencyField, received, note);
        form.setColspan(note, 2);
        dialog.add(form);
        dialog.onSubmit(Map.of("kind", kind, "amount", amount, "currency", currencyField, "receivedOn", received,
                "note", note), () -> {
                    FundingService.FundingForm f = new FundingService.FundingForm(kind.getValue(),
                            amount.amount("amount"), currencyField.getValue(), received.getValue(), note.getValue());
                    if (existing == null) {
                        funding.addFunding(f);
                    } else {
                        funding.updateFunding(existing.getId(), f);
                    }
                    dialog.done(existing == null ? "Funding recorded" : "Funding changed");
                    page.refresh().run();
                });
        dialog.open();
        amount.focus();
    }
}
