package dev.runway.api;

import dev.runway.base.Keyset;
import dev.runway.tenancy.TeamService;
import jakarta.inject.Inject;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Comparator;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The company's members and their roles (read), and invitations (create, revoke), as on the Team page. */
@Path("/team")
@Produces(MediaType.APPLICATION_JSON)
@ActsForKey
@Tag(name = "Team")
public class TeamResource {

    private static final String NOT_ALLOWED = "The key's role may not manage the team (OWNER, ADMIN)";

    /** Members in the order they joined; invitations newest first. */
    private static final Comparator<Keyset> OLDEST_FIRST = Comparator.comparing(Keyset::instant)
            .thenComparingLong(Keyset::id);

    @Inject
    TeamService team;

    @GET
    @Path("/members")
    @Operation(summary = "Members with their roles, in the order they joined; paged")
    @APIResponse(responseCode = "200", description = "A page of members")
    public ListPage<TeamJson.Member> listMembers(@BeanParam Paging paging) {
        return paging.of("members").page(team.members(), m -> new Keyset(m.getCreatedAt().toString(), m.getId()),
                OLDEST_FIRST, TeamJson.Member::of);
    }

    @GET
    @Path("/invitations")
    @Operation(summary = "Pending invitations, newest first; paged")
    @APIResponse(responseCode = "200", description = "A page of invitations")
    public ListPage<TeamJson.PendingInvitation> listInvitations(@BeanParam Paging paging) {
        return paging.of("invitations").page(team.pendingInvitations(),
                i -> new Keyset(i.getCreatedAt().toString(), i.getId()), OLDEST_FIRST.reversed(),
                TeamJson.PendingInvitation::of);
    }

    @POST
    @Path("/invitations")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Invite someone", description = "A pending invitation for the same address is replaced. "
            + "The link is valid for 7 days; it is mailed when an SMTP server is configured, and answered here "
            + "once either way.")
    @APIResponse(responseCode = "201", description = "The invitation with its link",
            content = @Content(schema = @Schema(implementation = TeamJson.Created.class)))
    @APIResponse(responseCode = "400", description = "A bad address, a member already, or no role: errors name it")
    @APIResponse(responseCode = "403", description = NOT_ALLOWED + "; only owners invite owners")
    public Response invite(@NotNull(message = "Send {\"email\": …, \"role\": …}") TeamJson.Request request) {
        TeamJson.Created created = TeamJson.Created.of(team.invite(request.email(), request.role()));
        return Created.at("/api/v1/team/invitations/" + created.id()).entity(created).build();
    }

    @DELETE
    @Path("/invitations/{invitationId}")
    @Operation(summary = "Revoke a pending invitation", description = "Its link stops working at once")
    @APIResponse(responseCode = "204", description = "Revoked")
    @APIResponse(responseCode = "400", description = "It is no longer pending (accepted, revoked or expired)")
    @APIResponse(responseCode = "403", description = NOT_ALLOWED)
    @APIResponse(responseCode = "404", description = "No such invitation in this company")
    public void revokeInvitation(@PathParam("invitationId") long invitationId) {
        team.revokeInvitation(invitationId);
    }
}
