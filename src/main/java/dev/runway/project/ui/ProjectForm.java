package dev.runway.project.ui;

import com.vaadin.flow.component.HasValidation;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.checkbox.Checkbox;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.textfield.TextArea;
import com.vaadin.flow.component.textfield.TextField;
import dev.runway.base.ui.Messages;
import dev.runway.project.Project;
import dev.runway.project.ProjectService;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/** The dialog that creates or edits a project; the caller says what saving does. */
class ProjectForm extends Dialog {

    private final TextField name = new TextField("Name");
    private final TextArea description = new TextArea("Description");
    private final TextField tags = new TextField("Tags");
    private final Checkbox preview = new Checkbox("Show data previews (switch off for sensitive data)");

    ProjectForm(String title, Project existing, Function<ProjectService.ProjectForm, Project> save,
            Consumer<Project> saved) {
        setHeaderTitle(title);
        name.setMaxLength(Project.NAME_MAX);
        description.setMaxLength(Project.DESCRIPTION_MAX);
        tags.setHelperText("Comma-separated, e.g. nlp, churn");
        preview.setValue(true);
        if (existing != null) {
            name.setValue(existing.getName());
            description.setValue(existing.getDescription());
            tags.setValue(String.join(", ", existing.getTags()));
            preview.setValue(existing.isPreviewEnabled());
        }
        FormLayout form = new FormLayout(name, description, tags, preview);
        form.setResponsiveSteps(new FormLayout.ResponsiveStep("0", 1));
        form.setWidth("480px");
        form.setMaxWidth("100%");
        add(form);
        Map<String, HasValidation> fields = Map.of("name", name, "description", description, "tags", tags);
        Button ok = new Button(existing == null ? "Create project" : "Save", e -> {
            Messages.clear(fields);
            try {
                Project project = save.apply(new ProjectService.ProjectForm(name.getValue(), description.getValue(),
                        tags.getValue(), preview.getValue()));
                close();
                saved.accept(project);
            } catch (RuntimeException ex) {
                Messages.show(ex, fields);
            }
        });
        ok.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        getFooter().add(new Button("Cancel", e -> close()), ok);
    }
}
