package dev.runway.api;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The bodies of the model lifecycle's requests. */
final class LifecycleRequests {

    private LifecycleRequests() {}

    @Schema(name = "StageChange")
    public record StageChange(@Schema(description = "NONE, STAGING, PRODUCTION or ARCHIVED", required = true)
            String stage, @Schema(description = "why (required)", required = true) String comment) {}

    @Schema(name = "LifecycleComment")
    public record WithComment(@Schema(description = "why (required)", required = true) String comment) {}
}
