package dev.runway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "usage", description = "A month's metered usage and what it costs so far, by project (keys with the "
        + "Billing, Admin or Owner role).")
class UsageCommand implements Callable<Integer> {

    @Mixin
    Common common;

    @Option(names = "--month", paramLabel = "YYYY-MM", description = "The month (UTC; default: this month).")
    String month;

    @Override
    public Integer call() {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("month", month);
        JsonNode usage = common.api().get(Endpoint.READ_USAGE, query);
        if (common.json) {
            common.printJson(usage);
            return 0;
        }
        String currency = usage.path("currency").asText();
        common.out().println(usage.path("month").asText() + ", plan " + usage.path("plan").asText() + ": "
                + usage.path("total").asText() + " " + currency
                + (usage.hasNonNull("invoiceStatus") ? " (invoice " + usage.path("invoice").asText() + ", "
                        + usage.path("invoiceStatus").asText() + ")" : ""));
        Table table = new Table("PROJECT", "DESCRIPTION", "QUANTITY", "UNIT", "AMOUNT");
        for (JsonNode line : usage.path("lines")) {
            table.row(line.hasNonNull("projectId") ? line.get("projectId").asLong() : "", line.path("description")
                    .asText(), line.path("quantity").asText(), line.path("unit").asText(), line.path("amount")
                    .asText() + " " + currency);
        }
        table.print(common.out(), "No usage billed this month yet.");
        return 0;
    }
}
