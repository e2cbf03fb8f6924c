package dev.runway.dataset.ui;

import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.router.RouteParameters;
import dev.runway.base.ui.Formats;
import dev.runway.dataset.DatasetService.DatasetSummary;
import java.util.List;

/** Datasets with their latest version; a click opens the version's page. */
class DatasetGrid extends Grid<DatasetSummary> {

    DatasetGrid(boolean withProject) {
        addColumn(s -> s.dataset().getName()).setHeader("Dataset").setFlexGrow(2);
        if (withProject) {
            addColumn(DatasetSummary::projectName).setHeader("Project").setFlexGrow(2);
        }
        addColumn(s -> "v" + s.latest().getVersion()).setHeader("Latest").setAutoWidth(true);
        addColumn(s -> Formats.count(s.latest().getRowCount())).setHeader("Rows").setAutoWidth(true);
        addColumn(s -> Formats.count(s.latest().getColumnCount())).setHeader("Columns").setAutoWidth(true);
        addColumn(s -> Formats.bytes(s.latest().getSizeBytes())).setHeader("Size").setAutoWidth(true);
        addColumn(s -> Formats.dateTime(s.latest().getUploadedAt())).setHeader("Uploaded").setAutoWidth(true);
        addItemClickListener(e -> getUI().ifPresent(ui -> ui.navigate(DatasetVersionView.class,
                new RouteParameters("id", e.getItem().latest().getId().toString()))));
        setAllRowsVisible(true);
    }

    void show(List<DatasetSummary> datasets) {
        setItems(datasets.stream().filter(s -> s.latest() != null).toList());
        setVisible(!datasets.isEmpty());
    }
}
