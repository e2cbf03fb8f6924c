package dev.runway.base.ui;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;

/** The title of a page and its primary action(s), at the top of every page. */
public class PageHeader extends HorizontalLayout {

    public PageHeader(String title, Component... actions) {
        addClassName("page-header");
        setWidthFull();
        setAlignItems(FlexComponent.Alignment.CENTER);
        H2 heading = new H2(title);
        add(heading);
        setFlexGrow(1, heading);
        add(actions);
    }
}
