package dev.runway.model.ui;

import com.vaadin.flow.component.HasValidation;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.component.upload.Upload;
import com.vaadin.flow.server.streams.UploadHandler;
import dev.runway.base.ui.Messages;
import dev.runway.model.ModelImports;
import dev.runway.model.ModelVersion;
import dev.runway.tenancy.Actor;
import dev.runway.tenancy.TenantContext;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The manifest's fields and the model file: the file is imported as soon as it has uploaded, with the fields as
 * they are then; a refusal is shown at the field it concerns and the dialog stays open to fix it.
 */
class ImportModelDialog extends Dialog {

    ImportModelDialog(ModelImports imports, long projectId, Consumer<ModelVersion> imported) {
        setHeaderTitle("Import a model");
        setWidth("min(720px, 95vw)");
        TextField name = new TextField("Name");
        name.setMaxLength(ModelImports.NAME_MAX);
        name.setPlaceholder("e.g. churn model from research");
        Select<String> format = new Select<>();
        format.setLabel("Format");
        format.setItems("onnx", "torchscript");
        format.setItemLabelGenerator(f -> f.equals("onnx") ? "ONNX (.onnx)" : "TorchScript (.pt)");
        format.setValue("onnx");
        Select<String> task = new Select<>();
        task.setLabel("Task");
        task.setItems("classification", "regression");
        task.setValue("classification");
        TextField features = new TextField("Input columns, in the model's order");
        features.setPlaceholder("e.g. age, income, tenure");
        features.setHelperText("Comma-separated CSV column names");
        Select<String> inputs = new Select<>();
        inputs.setLabel("The model takes");
        inputs.setItems("raw", "prepared");
        inputs.setItemLabelGenerator(i -> i.equals("raw") ? "Raw column values" : "Runway's prepared values "
                + "(standardised, one-hot)");
        inputs.setValue("raw");
        TextField target = new TextField("Target column");
        TextField classes = new TextField("Classes, in the order of the outputs");
        classes.setPlaceholder("e.g. stays, leaves");
        classes.setHelperText("Classification only; comma-separated");
        task.addValueChangeListener(e -> classes.setEnabled("classification".equals(e.getValue())));
        FormLayout form = new FormLayout(name, format, task, inputs, features, target, classes);
        form.setColspan(features, 2);
        form.setColspan(classes, 2);

        Map<String, HasValidation> fields = Map.of("manifest.name", name, "manifest.format", format,
                "manifest.task", task, "manifest.features", features, "manifest.inputs", inputs, "manifest.target",
                target, "manifest.classes", classes);
        Actor actor = TenantContext.current().orElseThrow();
        UI ui = UI.getCurrent();
        Upload upload = new Upload();
        upload.setId("import-model-file");
        upload.setUploadHandler((UploadHandler) event -> {
            ModelImports.Manifest manifest = new ModelImports.Manifest(name.getValue(), format.getValue(),
                    task.getValue(), list(features.getValue()), inputs.getValue(), target.getValue().strip(),
                    "classification".equals(task.getValue()) ? list(classes.getValue()) : null, null);
            try {
                ModelVersion version = TenantContext.runAs(actor, () -> imports.importModel(projectId, manifest,
                        event.getInputStream()));
                ui.access(() -> {
                    Messages.success(manifest.name() + " imported as version " + version.getVersion());
                    close();
                    imported.accept(version);
                });
            } catch (RuntimeException e) {
                ui.access(() -> {
                    Messages.clear(fields);
                    Messages.show(e, fields);
                });
            }
        });
        upload.setAcceptedFileTypes(".onnx", ".pt", ".pth", ".torchscript");
        upload.setDropLabel(new Span("Drop the model file here: it is checked against the fields above"));
        upload.addFileRejectedListener(e -> Messages.error(e.getErrorMessage()));
        upload.addAllFinishedListener(e -> upload.clearFileList());
        add(new Paragraph("The file must load, take one value per input column and give one score per class (or one "
                + "value for regression). Importing is free; evaluating it is billed like any evaluation run."),
                form, upload);
        getFooter().add(new Button("Close", e -> close()));
    }

    private static List<String> list(String value) {
        return value == null || value.isBlank() ? List.of()
                : Arrays.stream(value.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }
}
