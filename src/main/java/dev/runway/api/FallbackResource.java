package dev.runway.api;

import dev.runway.base.NotFoundException;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * Any other path under /api/v1 is answered here with a 404 problem; otherwise it would fall through to the console's
 * servlet (mapped at /*) and get an HTML page. The tus endpoint (/api/v1/uploads, a servlet) is left to its servlet.
 */
@Path("/{path: (?!uploads(?:/|$)).*}")
@Produces(MediaType.APPLICATION_JSON)
public class FallbackResource {

    @GET
    @Operation(hidden = true)
    public void get() {
        throw new NotFoundException("API path");
    }

    @POST
    @Operation(hidden = true)
    public void post() {
        throw new NotFoundException("API path");
    }

    @PUT
    @Operation(hidden = true)
    public void put() {
        throw new NotFoundException("API path");
    }

    @PATCH
    @Operation(hidden = true)
    public void patch() {
        throw new NotFoundException("API path");
    }

    @DELETE
    @Operation(hidden = true)
    public void delete() {
        throw new NotFoundException("API path");
    }
}
