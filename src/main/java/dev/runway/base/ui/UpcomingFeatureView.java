package dev.runway.base.ui;

import com.vaadin.flow.component.orderedlayout.VerticalLayout;

/**
 * A page whose feature has not been built yet: it says honestly what will live there, and shows no made-up figures.
 */
public abstract class UpcomingFeatureView extends VerticalLayout {

    protected UpcomingFeatureView(String title, String emptyTitle, String explanation) {
        add(new PageHeader(title), new EmptyState(emptyTitle, explanation));
    }
}
