package dev.runway.api;

import java.util.Map;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.headers.Header;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;

/**
 * Puts what holds for every operation into the OpenAPI document once, rather than on each resource method (an answer
 * declared on a resource class would also hide the answers the scanner derives from each method's return type): the
 * 401 problem of a missing, unknown, revoked or expired key; the {@code Idempotency-Key} header and its {@code 409} on
 * every POST; and the rate limits' {@code 429} with {@code Retry-After} everywhere (mp.openapi.filter in
 * application.properties; docs/api.md, "Safe retries" and "Rate limits").
 */
public class ApiDocument implements OASFilter {

    @Override
    public void filterOpenAPI(OpenAPI openApi) {
        if (openApi.getPaths() == null || openApi.getPaths().getPathItems() == null) {
            return;
        }
        for (PathItem path : openApi.getPaths().getPathItems().values()) {
            for (Map.Entry<PathItem.HttpMethod, Operation> entry : path.getOperations().entrySet()) {
                Operation operation = entry.getValue();
                if (operation.getResponses() == null) {
                    continue;
                }
                if (!operation.getResponses().hasAPIResponse("401")) {
                    operation.getResponses().addAPIResponse("401",
                            problem("Missing, unknown, revoked or expired API key"));
                }
                if (entry.getKey() == PathItem.HttpMethod.POST) {
                    operation.addParameter(OASFactory.createParameter().name(IdempotencyKeyFilter.HEADER)
                            .in(Parameter.In.HEADER).required(false)
                            .description("Any unique string of yours (e.g. a UUID), up to "
                                    + IdempotencyKeyFilter.MAX_LENGTH + " visible ASCII characters: a retry with the "
                                    + "same key and the same request within 24 hours gets the first answer again "
                                    + "(with Idempotent-Replayed: true) and does nothing twice")
                            .schema(OASFactory.createSchema().addType(Schema.SchemaType.STRING)
                                    .maxLength(IdempotencyKeyFilter.MAX_LENGTH)));
                    if (!operation.getResponses().hasAPIResponse("409")) {
                        operation.getResponses().addAPIResponse("409", problem("The Idempotency-Key was used for "
                                + "another request (another path or body) in the last 24 hours"));
                    }
                }
                if (!operation.getResponses().hasAPIResponse("429")) {
                    Header retryAfter = OASFactory.createHeader().description("seconds to wait before sending again")
                            .schema(OASFactory.createSchema().addType(Schema.SchemaType.INTEGER));
                    operation.getResponses().addAPIResponse("429", problem("The API key is over its rate limit "
                            + "(requests, or uploaded bytes); nothing was done").addHeader("Retry-After", retryAfter));
                }
            }
        }
    }

    private static APIResponse problem(String description) {
        Content content = OASFactory.createContent().addMediaType(Problems.MEDIA_TYPE, OASFactory.createMediaType()
                .schema(OASFactory.createSchema().ref("Problem")));
        return OASFactory.createAPIResponse().description(description).content(content);
    }
}
