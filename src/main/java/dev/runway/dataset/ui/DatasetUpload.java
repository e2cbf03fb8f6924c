package dev.runway.dataset.ui;

import com.vaadin.flow.component.HasValidation;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.confirmdialog.ConfirmDialog;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.notification.NotificationVariant;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.component.upload.Upload;
import com.vaadin.flow.server.streams.UploadHandler;
import dev.runway.base.ui.Formats;
import dev.runway.base.ui.Messages;
import dev.runway.dataset.Dataset;
import dev.runway.dataset.DatasetService;
import dev.runway.dataset.DatasetVersion;
import dev.runway.tenancy.Actor;
import dev.runway.tenancy.TenantContext;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Uploads a CSV into a project as a new dataset or a new version of one. The bytes stream to the service, which
 * checks the size cap and the content on the server; the browser's size check is only a convenience.
 */
class DatasetUpload extends HorizontalLayout {

    DatasetUpload(DatasetService datasets, long projectId, String fixedName, Consumer<DatasetVersion> uploaded) {
        TextField name = new TextField("Dataset name");
        name.setMaxLength(Dataset.NAME_MAX);
        name.setPlaceholder("e.g. customers");
        name.setValueChangeMode(com.vaadin.flow.data.value.ValueChangeMode.EAGER);
        name.setHelperText("A new name starts a dataset; an existing one adds a version");
        if (fixedName != null) {
            name.setValue(fixedName);
            name.setVisible(false);
        }
        Actor actor = TenantContext.current().orElseThrow();
        UI ui = UI.getCurrent();
        Upload upload = new Upload();
        upload.setUploadHandler((UploadHandler) event -> {
            String datasetName = name.getValue().isBlank() ? baseName(event.getFileName()) : name.getValue();
            try {
                Uploaded result = TenantContext.runAs(actor, () -> {
                    try {
                        DatasetService.Uploaded u = datasets.upload(projectId, datasetName, event.getFileName(),
                                event.getInputStream(), DatasetService.Identical.KEEP_EXISTING);
                        return new Uploaded(u.version(), u.existing(), datasets.profile(u.version().getId())
                                .warnings());
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
                DatasetVersion version = result.version();
                ui.access(() -> {
                    if (result.existing()) {
                        askKeepOrAdd(datasets, datasetName, event.getFileName(), version, uploaded);
                        return;
                    }
                    Messages.success(datasetName + " v" + version.getVersion() + ": " + version.getRowCount()
                            + " rows, " + version.getColumnCount() + " columns");
                    if (!result.warnings().isEmpty()) {
                        Notification warning = Notification.show("“" + event.getFileName() + "”: "
                                + String.join(" ", result.warnings()), 10_000, Notification.Position.MIDDLE);
                        warning.addThemeVariants(NotificationVariant.LUMO_WARNING);
                    }
                    uploaded.accept(version);
                });
            } catch (RuntimeException e) {
                ui.access(() -> Messages.show(e, Map.<String, HasValidation>of("name", name)));
            }
        });
        upload.setAcceptedFileTypes(".csv", "text/csv", ".tsv", ".txt");
        upload.setMaxFileSize((int) Math.min(Integer.MAX_VALUE, datasets.maxUploadMb() * 1024 * 1024));
        upload.setDropLabel(new com.vaadin.flow.component.html.Span("Drop a CSV file here (up to "
                + datasets.maxUploadMb() + " MB)"));
        upload.addFileRejectedListener(e -> Messages.error(e.getErrorMessage()));
        upload.addAllFinishedListener(e -> upload.clearFileList());
        setAlignItems(FlexComponent.Alignment.START);
        add(name, upload);
    }

    /**
     * The file's bytes are exactly those of {@code existing}: a new version would train on the same data. Keeping the
     * existing version is the default; adding one anyway (e.g. to start a schedule's run on a new version) records
     * the stored bytes again without sending them.
     */
    private static void askKeepOrAdd(DatasetService datasets, String datasetName, String filename,
            DatasetVersion existing, Consumer<DatasetVersion> uploaded) {
        String kept = datasetName + " v" + existing.getVersion();
        ConfirmDialog dialog = new ConfirmDialog();
        dialog.setId("identical-upload");
        dialog.setHeader("Identical to " + kept);
        dialog.setText("“" + filename + "” has exactly the bytes of " + kept + " (“" + existing.getOriginalFilename()
                + "”, uploaded " + Formats.dateTime(existing.getUploadedAt()) + ", SHA-256 "
                + existing.getSha256().substring(0, 12) + "…). A new version would train on the same data. Keep "
                + kept + ", or add the file as a new version anyway?");
        dialog.setConfirmText("Keep " + kept);
        dialog.addConfirmListener(e -> {
            Messages.success("Kept " + kept + ": no version added");
            uploaded.accept(existing);
        });
        dialog.setRejectable(true);
        dialog.setRejectText("Add a new version");
        // Adding one is a fair choice, not a danger: not the red of a destructive button.
        dialog.setRejectButtonTheme("tertiary");
        dialog.addRejectListener(e -> {
            try {
                DatasetVersion added = datasets.addIdenticalVersion(existing.getId(), filename);
                Messages.success(datasetName + " v" + added.getVersion() + ": " + added.getRowCount() + " rows, "
                        + added.getColumnCount() + " columns (the same bytes as v" + existing.getVersion() + ")");
                uploaded.accept(added);
            } catch (RuntimeException ex) {
                Messages.show(ex);
            }
        });
        dialog.open();
    }

    /** A stored version, whether it was already there, and what its uploader should know about it (infinite values). */
    private record Uploaded(DatasetVersion version, boolean existing, List<String> warnings) {}

    private static String baseName(String filename) {
        String base = filename == null ? "dataset" : filename.replaceAll("(?i)\\.(csv|tsv|txt)$", "");
        return base.isBlank() ? "dataset" : base;
    }
}
