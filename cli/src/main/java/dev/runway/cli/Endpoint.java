package dev.runway.cli;

/**
 * Every call the client makes, as the console's OpenAPI document names it (method and path template). The client
 * reaches the API only through these, so the console's tests can check each against {@code /q/openapi}.
 */
public enum Endpoint {
    LIST_PROJECTS("GET", "/api/v1/projects"),
    CREATE_PROJECT("POST", "/api/v1/projects"),
    UPLOAD_VERSION("POST", "/api/v1/projects/{projectId}/datasets/{name}/versions"),
    LIST_DATASETS("GET", "/api/v1/projects/{projectId}/datasets"),
    LIST_DATASET_VERSIONS("GET", "/api/v1/datasets/{datasetId}/versions"),
    DATASET_VERSION("GET", "/api/v1/datasets/versions/{versionId}"),
    SAVE_PREPARATION("PUT", "/api/v1/datasets/versions/{versionId}/preparation"),
    START_RUN("POST", "/api/v1/runs"),
    GET_RUN("GET", "/api/v1/runs/{runId}"),
    GET_SWEEP("GET", "/api/v1/sweeps/{sweepId}"),
    LIST_MODELS("GET", "/api/v1/projects/{projectId}/models"),
    GET_MODEL("GET", "/api/v1/models/{versionId}"),
    CHANGE_STAGE("POST", "/api/v1/models/{versionId}/stage"),
    READ_USAGE("GET", "/api/v1/usage"),
    /** tus 1.0 (docs/api.md): a protocol endpoint served beside Jakarta REST, so not in the OpenAPI document. */
    RESUMABLE_UPLOADS("OPTIONS", "/api/v1/uploads", false);

    private final String method;
    private final String path;
    private final boolean inOpenApi;

    Endpoint(String method, String path) {
        this(method, path, true);
    }

    Endpoint(String method, String path, boolean inOpenApi) {
        this.method = method;
        this.path = path;
        this.inOpenApi = inOpenApi;
    }

    /** The HTTP method, e.g. {@code GET}. */
    public String method() {
        return method;
    }

    /** The path template as OpenAPI writes it, e.g. {@code /api/v1/runs/{runId}}. */
    public String path() {
        return path;
    }

    /** False for the protocol endpoints the OpenAPI document does not describe. */
    public boolean inOpenApi() {
        return inOpenApi;
    }
}
