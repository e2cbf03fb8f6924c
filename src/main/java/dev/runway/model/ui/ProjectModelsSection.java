package dev.runway.model.ui;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.RouterLink;
import dev.runway.model.ModelImports;
import dev.runway.model.ModelService;
import dev.runway.model.ModelVersion;
import dev.runway.project.Project;
import dev.runway.project.ui.ProjectSection;
import dev.runway.tenancy.Access;
import dev.runway.tenancy.Permission;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;

/** The models part of a project's page: its versions (trained and imported), and importing a model file. */
@ApplicationScoped
public class ProjectModelsSection implements ProjectSection {

    @Inject
    ModelService models;

    @Inject
    ModelImports imports;

    @Inject
    Access access;

    @Override
    public int order() {
        return 25;
    }

    @Override
    public Component create(Project project) {
        VerticalLayout section = new VerticalLayout();
        section.setPadding(false);
        section.add(new H3("Models"));
        List<ModelVersion> versions = models.list(project.getId());
        long imported = versions.stream().filter(ModelVersion::isImported).count();
        Paragraph summary = new Paragraph(versions.isEmpty()
                ? "No model versions yet: a succeeded training run registers one, or import a model trained elsewhere "
                        + "(ONNX or TorchScript)."
                : versions.size() + (versions.size() == 1 ? " version" : " versions") + (imported > 0 ? ", "
                        + imported + " imported" : "") + ". ");
        if (!versions.isEmpty()) {
            summary.add(new RouterLink("Open the models list", ModelsView.class));
        }
        section.add(summary);
        if (access.can(Permission.MANAGE_PROJECTS) && !project.isArchived()) {
            Button open = new Button("Import a model…", e -> new ImportModelDialog(imports, project.getId(),
                    version -> section.getUI().ifPresent(ui -> ui.navigate(ModelVersionView.class,
                            new com.vaadin.flow.router.RouteParameters("id", version.getId().toString())))).open());
            open.setId("import-model");
            section.add(open);
        }
        return section;
    }
}
