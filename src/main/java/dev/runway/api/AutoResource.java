package dev.runway.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runway.base.BadInputException;
import dev.runway.sweep.AutoService;
import dev.runway.sweep.SweepService;
import dev.runway.training.AutoRuns;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Auto: what it would do on a version (its plan and default limits, to show before starting), and starting it, which
 * is {@code POST /api/v1/runs} with {@code "template": "AUTO"} (see {@link #start}).
 */
@Path("/auto")
@Produces(MediaType.APPLICATION_JSON)
@ActsForKey
@Tag(name = "Runs")
public class AutoResource {

    /** What a run request with the template AUTO may hold: Auto chooses the rest. */
    private static final Set<String> FIELDS = Set.of("datasetVersionId", "template", "timeLimitMinutes", "budget");

    @Schema(name = "AutoPlan", example = "{\"datasetVersionId\": 42, \"shape\": \"tabular\", \"family\": \"MLP\", "
        + "\"why\": \"150 rows of 4 numeric columns: a table\", "
        + "\"search\": \"successive halving over learning rate, hidden layers and dropout\", "
        + "\"trials\": 6, \"parallel\": 2, \"timeLimitMinutes\": 5, \"budget\": 0.05, "
        + "\"estimate\": 0.02, \"currency\": \"USD\"}")
    public record AutoPlanJson(long datasetVersionId, String shape, String family, String why, String search,
            int trials, int parallel, long timeLimitMinutes, BigDecimal budget, BigDecimal estimate,
            String currency) {}

    @Inject
    AutoService auto;

    @GET
    @Path("/plan")
    @Operation(summary = "What Auto would do on a dataset version",
            description = "The model family Auto picks from the data's shape and why, the search, and the default "
                    + "time limit and money cap (the trials' estimated cost at their full epochs, rounded up). Start "
                    + "it with POST /api/v1/runs and \"template\": \"AUTO\".")
    @APIResponse(responseCode = "200", description = "The plan")
    @APIResponse(responseCode = "400", description = "The version cannot train (no preparation, a single class, …)")
    @APIResponse(responseCode = "403", description = "The key's role may not start runs")
    @APIResponse(responseCode = "404", description = "No such dataset version in this company")
    public AutoPlanJson plan(@QueryParam("datasetVersionId") @Parameter(required = true,
            description = "the prepared dataset version") Long datasetVersionId) {
        if (datasetVersionId == null) {
            throw new BadInputException("datasetVersionId", "Give the id of the dataset version to train on");
        }
        AutoRuns.Preview p = auto.preview(datasetVersionId);
        return new AutoPlanJson(datasetVersionId, p.shape(), p.familyLabel(), p.why(), p.search(), p.trials(),
                p.parallel(), p.timeLimit().toMinutes(), p.moneyLimit(), p.estimate(), p.currency());
    }

    /** Whether a run request asks for Auto rather than a template. */
    static boolean isAuto(ObjectNode body) {
        return body != null && "AUTO".equals(body.path("template").asText("").strip().toUpperCase(Locale.ROOT));
    }

    /** Starts Auto for a run request with the template AUTO: 201 with its sweep, followed at /api/v1/sweeps/{id}. */
    @ApplicationScoped
    static class Starter {

        @Inject
        AutoService auto;

        @Inject
        SweepService sweeps;

        Response start(ObjectNode body) {
            for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (!FIELDS.contains(name)) {
                    throw new BadInputException(name, RunsResource.HYPERPARAMETERS.contains(name)
                            || Set.of("hyperparameters", "device", "priority", "pool").contains(name)
                            ? "Auto chooses “" + name + "” itself: leave it out, or choose a template"
                            : "Unknown field “" + name + "” (Auto takes datasetVersionId, timeLimitMinutes, budget)");
                }
            }
            if (!body.path("datasetVersionId").canConvertToLong()) {
                throw new BadInputException("datasetVersionId", "Give the id of the dataset version to train on");
            }
            Duration time = null;
            JsonNode minutes = body.get("timeLimitMinutes");
            if (minutes != null && !minutes.isNull()) {
                if (!minutes.isIntegralNumber() || !minutes.canConvertToInt()) {
                    throw new BadInputException("timeLimitMinutes", "“timeLimitMinutes” is a whole number, 1 to 1440");
                }
                time = Duration.ofMinutes(minutes.asInt());
            }
            JsonNode budget = body.get("budget");
            boolean capped = budget != null && !budget.isNull();
            BigDecimal cap = capped ? SweepsResource.cap(budget) : null;
            long sweepId;
            try {
                // A cap in another currency than the company's is refused by the sweep, at "budget".
                sweepId = auto.start(body.get("datasetVersionId").asLong(), time, cap,
                        capped ? budget.path("currency").asText(null) : null);
            } catch (BadInputException e) {
                throw new BadInputException("timeLimit".equals(e.field()) ? "timeLimitMinutes" : e.field(),
                        e.getMessage());
            }
            return Created.at("/api/v1/sweeps/" + sweepId).entity(SweepsResource.json(sweeps.details(sweepId)))
                    .build();
        }
    }
}
