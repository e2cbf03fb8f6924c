package dev.runway.api;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;

/**
 * Finishes the OpenAPI document with what every operation shares, so that no resource repeats it (an answer declared
 * on a resource class would also hide the answers the scanner derives from each method's return type): the 401 problem
 * of a missing, unknown, revoked or expired key.
 */
public class ApiDocument implements OASFilter {

    static final String PROBLEM = "application/problem+json";

    @Override
    public Operation filterOperation(Operation operation) {
        if (operation.getResponses() != null && !operation.getResponses().hasAPIResponse("401")) {
            operation.getResponses().addAPIResponse("401", problem("Missing, unknown, revoked or expired API key"));
        }
        return operation;
    }

    private static APIResponse problem(String description) {
        Content content = OASFactory.createContent().addMediaType(PROBLEM, OASFactory.createMediaType()
                .schema(OASFactory.createSchema().ref("Problem")));
        return OASFactory.createAPIResponse().description(description).content(content);
    }
}
