package dev.runway.project.ui;

import com.vaadin.flow.component.Component;
import dev.runway.project.Project;

/**
 * A part of the project page that another feature contributes (datasets, runs, models), so that the project feature
 * does not depend on them. Implementations are CDI beans; the page shows them by {@link #order()}.
 */
public interface ProjectSection {

    int order();

    Component create(Project project);
}
