package dev.runway.tenancy.ui;

import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.data.value.ValueChangeMode;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import dev.runway.base.ui.Formats;
import dev.runway.base.ui.PageHeader;
import dev.runway.tenancy.AuditEvent;
import dev.runway.tenancy.AuditLog;
import dev.runway.tenancy.Permission;
import dev.runway.tenancy.RequiresPermission;
import jakarta.inject.Inject;

@Route("audit")
@PageTitle("Audit · Runway")
@RequiresPermission(Permission.READ_AUDIT)
public class AuditView extends VerticalLayout {

    private final AuditLog audit;
    private final TextField actor = new TextField();
    private final ComboBox<String> kind = new ComboBox<>();
    private final Grid<AuditEvent> grid = new Grid<>(AuditEvent.class, false);

    @Inject
    public AuditView(AuditLog audit) {
        this.audit = audit;
        setSizeFull();
        actor.setPlaceholder("Filter by actor email");
        actor.setClearButtonVisible(true);
        actor.setValueChangeMode(ValueChangeMode.LAZY);
        actor.addValueChangeListener(e -> refresh());
        kind.setPlaceholder("Any kind of change");
        kind.setClearButtonVisible(true);
        kind.setItems(audit.kinds());
        kind.addValueChangeListener(e -> refresh());

        grid.addColumn(e -> Formats.dateTime(e.getOccurredAt())).setHeader("When").setAutoWidth(true);
        grid.addColumn(AuditEvent::getActorEmail).setHeader("Who").setAutoWidth(true);
        grid.addColumn(AuditEvent::getKind).setHeader("What").setAutoWidth(true);
        grid.addColumn(AuditEvent::getSubject).setHeader("Subject");
        grid.addColumn(e -> change(e)).setHeader("Before → after");
        grid.setSizeFull();

        add(new PageHeader("Audit log"), new HorizontalLayout(actor, kind), grid);
        refresh();
    }

    private static String change(AuditEvent e) {
        if (e.getBeforeValue() == null && e.getAfterValue() == null) {
            return "";
        }
        return (e.getBeforeValue() == null ? "∅" : e.getBeforeValue()) + " → "
                + (e.getAfterValue() == null ? "∅" : e.getAfterValue());
    }

    private void refresh() {
        grid.setItems(audit.list(actor.getValue(), kind.getValue()));
    }
}
