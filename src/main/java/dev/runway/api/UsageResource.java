package dev.runway.api;

import dev.runway.base.BadInputException;
import dev.runway.billing.Invoice;
import dev.runway.billing.InvoiceLine;
import dev.runway.billing.InvoiceService;
import dev.runway.billing.PlanService;
import dev.runway.billing.UsageService;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** A month's metered usage and what it costs so far (keys with the Billing, Admin or Owner role). */
@Path("/usage")
@Produces(MediaType.APPLICATION_JSON)
@ActsForKey
@Tag(name = "Usage")
public class UsageResource {

    /** One day's use of one resource, in its priced unit. */
    @Schema(name = "DailyUsage")
    public record DayJson(LocalDate day, String resource, BigDecimal quantity, String unit) {}

    /** One invoice line: a project's use of a resource at one price. */
    @Schema(name = "UsageLine")
    public record LineJson(Long projectId, String description, String resource, BigDecimal quantity, String unit,
            BigDecimal unitPrice, BigDecimal amount, int priceVersion) {}

    @Schema(name = "Usage", example = "{\"month\": \"2026-11\", \"plan\": \"Startup\", \"currency\": \"USD\", "
        + "\"invoice\": \"Draft\", \"invoiceStatus\": \"DRAFT\", \"subtotal\": 12.4, "
        + "\"creditsApplied\": 0, \"total\": 12.4, \"days\": [{\"day\": \"2026-11-30\", "
        + "\"resource\": \"CPU\", \"quantity\": 1.25, \"unit\": \"hour\"}], "
        + "\"lines\": [{\"projectId\": 3, \"description\": \"Churn: CPU training\", "
        + "\"resource\": \"CPU\", \"quantity\": 31.0, \"unit\": \"hour\", \"unitPrice\": 0.4, "
        + "\"amount\": 12.4, \"priceVersion\": 1}]}")
    public record UsageJson(String month, String plan, String currency, String invoice, String invoiceStatus,
            BigDecimal subtotal, BigDecimal creditsApplied, BigDecimal total, List<DayJson> days,
            List<LineJson> lines) {}

    @Inject
    UsageService usage;

    @Inject
    InvoiceService invoices;

    @Inject
    PlanService plans;

    @Inject
    Clock clock;

    @GET
    @Operation(summary = "Read usage", description = "A month's usage by day and resource, and its invoice lines by "
            + "project with amounts (rounded half up per line). The current month is a draft that grows as usage "
            + "is recorded.")
    @APIResponse(responseCode = "200", description = "The month's usage")
    @APIResponse(responseCode = "400", description = "A month that is not YYYY-MM",
            content = @Content(mediaType = "application/problem+json",
                    schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "403", description = "The key's role does not see billing",
            content = @Content(mediaType = "application/problem+json",
                    schema = @Schema(implementation = Problem.class)))
    public UsageJson readUsage(@QueryParam("month") @Parameter(description = "YYYY-MM (UTC); the current month when "
            + "left out") String month) {
        YearMonth period = month(month);
        List<DayJson> days = usage.daily(period).stream().map(d -> new DayJson(d.day(), d.resource().name(),
                d.quantity(), d.resource().unit())).toList();
        Invoice invoice = invoices.invoices().stream().filter(i -> i.getPeriod().equals(period)
                && i.getStatus() != Invoice.Status.VOID).findFirst().orElse(null);
        List<LineJson> lines = invoice == null ? List.of() : invoices.lines(invoice.getId()).stream()
                .map(UsageResource::line).toList();
        String plan = plans.current().getPlan().name();
        if (invoice == null) {
            return new UsageJson(period.toString(), plan, plans.current().getCurrency().getCurrencyCode(), null, null,
                    BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, days, lines);
        }
        return new UsageJson(period.toString(), plan, invoice.getCurrency().getCurrencyCode(), invoice.label(),
                invoice.getStatus().name(), invoice.getSubtotal(), invoice.getCreditsApplied(), invoice.getTotal(),
                days, lines);
    }

    private static LineJson line(InvoiceLine l) {
        return new LineJson(l.getProjectId(), l.getDescription(), l.getResource().name(), l.getQuantity(),
                l.getUnit(), l.getUnitPrice(), l.getAmount(), l.getPriceVersion());
    }

    private YearMonth month(String text) {
        if (text == null || text.isBlank()) {
            return YearMonth.from(clock.instant().atZone(ZoneOffset.UTC));
        }
        try {
            return YearMonth.parse(text.strip());
        } catch (DateTimeParseException e) {
            throw new BadInputException("month", "Give the month as YYYY-MM, e.g. 2026-11");
        }
    }
}
