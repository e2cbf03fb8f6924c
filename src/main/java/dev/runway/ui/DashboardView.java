package dev.runway.ui;

import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.FlexLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import dev.runway.base.ui.PageHeader;
import dev.runway.tenancy.AuditLog;
import dev.runway.tenancy.Permission;
import dev.runway.tenancy.RequiresPermission;
import dev.runway.tenancy.TeamService;
import dev.runway.tenancy.TenantService;
import jakarta.inject.Inject;

/** The tenant at a glance: real counts only. */
@Route("")
@PageTitle("Dashboard · Runway")
@RequiresPermission(Permission.READ)
public class DashboardView extends VerticalLayout {

    @Inject
    public DashboardView(TenantService tenants, TeamService team, AuditLog audit) {
        String name = tenants.current().getName();
        FlexLayout cards = new FlexLayout(
                card("Members", team.members().size()),
                card("Pending invitations", team.pendingInvitations().size()),
                card("Changes recorded", audit.count()));
        cards.addClassName("cards");
        cards.setFlexWrap(FlexLayout.FlexWrap.WRAP);
        add(new PageHeader(name), cards, new Paragraph(
                "Projects, datasets, training runs, models, budgets and billing will fill this dashboard as they "
                        + "arrive in Runway. Until then, invite your team from the Team page."));
    }

    private static Div card(String label, long value) {
        Span number = new Span(Long.toString(value));
        number.addClassName("card-value");
        Span caption = new Span(label);
        caption.addClassName("card-label");
        Div card = new Div(number, caption);
        card.addClassName("card");
        return card;
    }
}
