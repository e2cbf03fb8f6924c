package dev.runway.budget.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.confirmdialog.ConfirmDialog;
import com.vaadin.flow.component.grid.ColumnTextAlign;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.function.ValueProvider;
import dev.runway.base.ui.Messages;
import dev.runway.base.Money;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.Currency;
import java.util.Locale;
import java.util.Map;

/**
 * What the Budget page's panels and dialogs share, read once per redraw: the book currency, today (UTC), the active
 * projects' names, whether the member may manage, and how to redraw the page after a change.
 */
record BudgetPage(Currency currency, LocalDate today, Map<Long, String> projectNames, boolean canManage,
        Runnable refresh) {

    static final DateTimeFormatter DAY = DateTimeFormatter.ofLocalizedDate(FormatStyle.MEDIUM)
            .withLocale(Locale.ENGLISH);
    static final DateTimeFormatter MONTH = DateTimeFormatter.ofPattern("MMM yyyy", Locale.ENGLISH);

    String money(BigDecimal amount) {
        return Money.format(amount, currency);
    }

    String projectName(Long id) {
        return projectNames.getOrDefault(id, "project " + id);
    }

    /** A Delete button that asks first, runs {@code action}, says how it went and redraws the page. */
    Button deleteButton(String title, String text, Runnable action, String success) {
        Button delete = new Button("Delete", e -> {
            ConfirmDialog confirm = new ConfirmDialog(title, text, "Delete", ok -> {
                try {
                    action.run();
                    Messages.success(success);
                } catch (RuntimeException ex) {
                    Messages.show(ex);
                }
                refresh.run();
            });
            confirm.setCancelable(true);
            confirm.setConfirmButtonTheme("error primary");
            confirm.open();
        });
        delete.addThemeVariants(ButtonVariant.LUMO_ERROR, ButtonVariant.LUMO_TERTIARY);
        return delete;
    }

    /** Amounts line up on the right and get the width they need: never "30,000.00 U…". */
    static <T> Grid.Column<T> amountColumn(Grid<T> grid, ValueProvider<T, String> value, String header) {
        return grid.addColumn(value).setHeader(header).setTextAlign(ColumnTextAlign.END).setAutoWidth(true)
                .setFlexGrow(0).setPartNameGenerator(item -> "amount");
    }
}
