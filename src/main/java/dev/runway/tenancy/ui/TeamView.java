package dev.runway.tenancy.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.confirmdialog.ConfirmDialog;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.EmailField;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import dev.runway.base.ui.FormDialog;
import dev.runway.base.ui.Formats;
import dev.runway.base.ui.Messages;
import dev.runway.base.ui.PageHeader;
import dev.runway.base.ui.SecretField;
import dev.runway.tenancy.Access;
import dev.runway.tenancy.Invitation;
import dev.runway.tenancy.Membership;
import dev.runway.tenancy.Permission;
import dev.runway.tenancy.RequiresPermission;
import dev.runway.tenancy.Role;
import dev.runway.tenancy.TeamService;
import jakarta.inject.Inject;
import java.util.Map;

@Route("team")
@PageTitle("Team · Runway")
@RequiresPermission(Permission.READ)
public class TeamView extends VerticalLayout {

    private final TeamService team;
    private final boolean canManage;
    private final Grid<Membership> members = new Grid<>(Membership.class, false);
    private final Grid<Invitation> invitations = new Grid<>(Invitation.class, false);

    @Inject
    public TeamView(TeamService team, Access access) {
        this.team = team;
        this.canManage = access.can(Permission.MANAGE_TEAM);

        Button invite = new Button("Invite member", VaadinIcon.PLUS.create(), e -> openInviteDialog());
        invite.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        invite.setVisible(canManage);
        add(new PageHeader("Team", invite));

        members.addColumn(m -> m.getUser().getDisplayName()).setHeader("Name").setSortable(true);
        members.addColumn(m -> m.getUser().getEmail()).setHeader("Email").setSortable(true);
        members.addComponentColumn(this::roleCell).setHeader("Role");
        members.addColumn(m -> Formats.date(m.getCreatedAt())).setHeader("Member since");
        if (canManage) {
            members.addComponentColumn(this::removeButton).setHeader("").setFlexGrow(0).setWidth("120px");
        }
        members.addThemeVariants(GridVariant.LUMO_ROW_STRIPES);
        members.setAllRowsVisible(true);

        invitations.addColumn(Invitation::getEmail).setHeader("Email");
        invitations.addColumn(i -> i.getRole().label()).setHeader("Role");
        invitations.addColumn(i -> Formats.dateTime(i.getExpiresAt())).setHeader("Expires");
        if (canManage) {
            invitations.addComponentColumn(i -> new Button("Withdraw", e -> {
                run(() -> team.revokeInvitation(i.getId()), "Invitation to " + i.getEmail() + " withdrawn");
            })).setFlexGrow(0).setWidth("140px");
        }
        invitations.setAllRowsVisible(true);

        add(members, new H3("Pending invitations"), invitations);
        refresh();
    }

    private com.vaadin.flow.component.Component roleCell(Membership m) {
        if (!canManage) {
            return new com.vaadin.flow.component.html.Span(m.getRole().label());
        }
        Select<Role> role = new Select<>();
        role.setItems(Role.values());
        role.setItemLabelGenerator(Role::label);
        role.setValue(m.getRole());
        role.setAriaLabel("Role of " + m.getUser().getEmail());
        role.addValueChangeListener(e -> {
            if (e.isFromClient() && e.getValue() != null) {
                run(() -> team.changeRole(m.getId(), e.getValue()),
                        m.getUser().getDisplayName() + " is now " + e.getValue().label());
            }
        });
        return role;
    }

    private Button removeButton(Membership m) {
        Button remove = new Button("Remove", e -> {
            ConfirmDialog confirm = new ConfirmDialog("Remove " + m.getUser().getDisplayName() + "?",
                    "They lose access to this company at once. You can invite them again later.",
                    "Remove", ok -> run(() -> team.removeMember(m.getId()),
                            m.getUser().getDisplayName() + " removed"));
            confirm.setCancelable(true);
            confirm.setConfirmButtonTheme("error primary");
            confirm.open();
        });
        remove.addThemeVariants(ButtonVariant.LUMO_ERROR, ButtonVariant.LUMO_TERTIARY);
        return remove;
    }

    private void openInviteDialog() {
        FormDialog dialog = new FormDialog("Invite a member", "Create invitation", "Close");
        EmailField email = new EmailField("Email");
        email.setWidthFull();
        ComboBox<Role> role = new ComboBox<>("Role");
        role.setItems(Role.values());
        role.setItemLabelGenerator(r -> r.label() + " — " + r.summary());
        role.setValue(Role.ENGINEER);
        role.setWidthFull();
        VerticalLayout body = new VerticalLayout(email, role);
        body.setPadding(false);
        dialog.add(body);
        dialog.onSubmit(Map.of("email", email, "role", role), () -> {
            TeamService.InvitationLink link = team.invite(email.getValue(), role.getValue());
            showLink(body, link);
            dialog.hideSubmit();
            refresh();
        });
        dialog.open();
        email.focus();
    }

    private void showLink(VerticalLayout body, TeamService.InvitationLink link) {
        body.removeAll();
        body.add(new Paragraph((link.mailed() ? "We mailed this link to " : "Send this link to ") + link.email()
                + ". It works once, until " + Formats.dateTime(link.expiresAt()) + "."),
                new SecretField("Invitation link", link.url(), "Link", "invitation-link"),
                new Paragraph("It is shown only now: Runway keeps only a fingerprint of it."));
    }

    private void run(Runnable action, String success) {
        try {
            action.run();
            Messages.success(success);
        } catch (RuntimeException e) {
            Messages.show(e);
        }
        refresh();
    }

    private void refresh() {
        members.setItems(team.members());
        invitations.setItems(team.pendingInvitations());
    }
}
