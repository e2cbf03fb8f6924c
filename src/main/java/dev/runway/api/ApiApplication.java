package dev.runway.api;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;

/**
 * The platform API lives under /api/v1; everything else (the console) is Vaadin's. Requests are authenticated with
 * a tenant's API key (Settings → API keys) by {@link ApiKeyFilter}.
 */
@ApplicationPath("/api/v1")
@OpenAPIDefinition(
        info = @Info(title = "Runway API", version = "1",
                description = "Projects, dataset uploads, training runs and model versions of one company, for CI "
                        + "and scripts. Authenticate with an API key created on the Settings page: "
                        + "Authorization: Bearer rw_…. Errors are RFC 9457 problem details."),
        security = @SecurityRequirement(name = "apiKey"))
@SecurityScheme(securitySchemeName = "apiKey", type = SecuritySchemeType.HTTP, scheme = "bearer",
        description = "A Runway API key (rw_<prefix>_<secret>)")
public class ApiApplication extends Application {}
