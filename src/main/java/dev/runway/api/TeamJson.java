package dev.runway.api;

import com.fasterxml.jackson.annotation.JsonFormat;
import dev.runway.tenancy.Invitation;
import dev.runway.tenancy.Membership;
import dev.runway.tenancy.Role;
import dev.runway.tenancy.TeamService;
import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The team as the API shows it: members with their roles, and pending invitations. */
final class TeamJson {

    private TeamJson() {}

    @Schema(name = "Member", example = "{\"id\": 12, \"userId\": 9, \"name\": \"Mei Chen\", \"email\": \"mei@example.com\", "
        + "\"role\": \"ENGINEER\", \"joinedAt\": \"2026-11-30T09:12:44Z\"}")
    record Member(@Schema(description = "the membership's id") long id, long userId, String name, String email,
            Role role, Instant joinedAt) {

        static Member of(Membership m) {
            return new Member(m.getId(), m.getUser().getId(), m.getUser().getDisplayName(), m.getUser().getEmail(),
                    m.getRole(), m.getCreatedAt());
        }
    }

    @Schema(name = "Invitation", example = "{\"id\": 8, \"email\": \"ana@example.com\", \"role\": \"ANALYST\", "
        + "\"createdAt\": \"2026-11-30T09:12:44Z\", \"expiresAt\": \"2026-12-07T09:12:44Z\"}")
    record PendingInvitation(long id, String email, Role role, Instant createdAt, Instant expiresAt) {

        static PendingInvitation of(Invitation i) {
            return new PendingInvitation(i.getId(), i.getEmail(), i.getRole(), i.getCreatedAt(), i.getExpiresAt());
        }
    }

    @Schema(name = "InvitationCreated", description = "The invitation, with its link (shown this once)", example = "{\"id\": 8, \"email\": \"ana@example.com\", \"role\": \"ANALYST\", "
        + "\"expiresAt\": \"2026-12-07T09:12:44Z\", "
        + "\"url\": \"https://runway.example.com/invitation/Qm9hX2V4YW1wbGU\", \"mailed\": false}")
    record Created(long id, String email, Role role, Instant expiresAt,
            @Schema(description = "the link to pass on; it is shown only in this answer") String url,
            @Schema(description = "whether it was mailed (an SMTP server is configured)") boolean mailed) {

        static Created of(TeamService.InvitationLink link) {
            return new Created(link.id(), link.email(), link.role(), link.expiresAt(), link.url(), link.mailed());
        }
    }

    @Schema(name = "InvitationRequest", example = "{\"email\": \"ana@example.com\", \"role\": \"ENGINEER\"}")
    record Request(@Schema(required = true) String email,
            @Schema(required = true, description = "OWNER (owners only), ADMIN, ENGINEER, ANALYST, BILLING, VIEWER")
            @JsonFormat(with = JsonFormat.Feature.ACCEPT_CASE_INSENSITIVE_VALUES) Role role) {}
}
