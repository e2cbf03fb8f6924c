package dev.runway.training.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import dev.runway.base.ui.Formats;
import dev.runway.base.ui.Messages;
import dev.runway.training.RunSchedule;
import dev.runway.training.ScheduleService;
import java.util.List;

/** Scheduled re-runs with their next fire time; pause and resume. */
class SchedulesPanel extends VerticalLayout {

    private final ScheduleService schedules;
    private final Grid<RunSchedule> grid = new Grid<>(RunSchedule.class, false);

    SchedulesPanel(ScheduleService schedules, boolean canManage) {
        this.schedules = schedules;
        setPadding(false);
        grid.addColumn(RunSchedule::getName).setHeader("Schedule").setAutoWidth(true);
        grid.addColumn(s -> s.getCron() == null ? "" : s.getCron() + " (UTC)").setHeader("Cron").setAutoWidth(true);
        grid.addColumn(s -> s.isOnNewVersion() ? "yes" : "no").setHeader("On new version").setAutoWidth(true);
        grid.addColumn(s -> s.isPaused() ? "paused" : s.getNextFireAt() == null ? "on new versions only"
                : Formats.dateTime(s.getNextFireAt())).setHeader("Next").setAutoWidth(true);
        // A schedule that paused itself says why (its creator left, or its run was refused).
        grid.addColumn(s -> s.getPausedNote() == null ? "" : s.getPausedNote()).setHeader("Note")
                .setTooltipGenerator(s -> s.getPausedNote() == null ? "" : s.getPausedNote()).setFlexGrow(1);
        if (canManage) {
            grid.addComponentColumn(s -> new Button(s.isPaused() ? "Resume" : "Pause", e -> {
                try {
                    schedules.setPaused(s.getId(), !s.isPaused());
                    Messages.success(s.getName() + (s.isPaused() ? " resumed" : " paused"));
                } catch (RuntimeException ex) {
                    Messages.show(ex);
                }
                refresh();
            })).setAutoWidth(true);
        }
        grid.setAllRowsVisible(true);
        add(new H3("Schedules"), grid);
        refresh();
    }

    void refresh() {
        List<RunSchedule> list = schedules.list();
        grid.setItems(list);
        setVisible(!list.isEmpty());
    }
}
