package dev.runway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;
import java.util.OptionalLong;

/**
 * One line that says how a run is going: a bar, epoch, the latest losses and the time left. The time left is
 * measured here, from how fast the progress grew since this client first saw the run move, so that the console's
 * clock and the queue's wait do not enter it.
 */
final class Progress {

    static final int BAR = 24;

    private double firstProgress = -1;
    private long firstMillis;

    /** The line for the run as read at {@code nowMillis}. */
    String line(JsonNode run, long nowMillis) {
        String status = run.path("status").asText();
        double progress = Math.max(0, Math.min(1, run.path("progress").asDouble()));
        if (status.equals("QUEUED")) {
            return String.format(Locale.ROOT, "run %d QUEUED: waiting for a worker", run.path("id").asLong());
        }
        int filled = (int) Math.round(progress * BAR);
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "run %d %-9s [%s%s] %3d%%  epoch %d/%d",
                run.path("id").asLong(), status, "#".repeat(filled), "-".repeat(BAR - filled),
                Math.round(progress * 100), run.path("epoch").asInt(), run.path("totalEpochs").asInt()));
        JsonNode metrics = run.path("metrics");
        if (metrics.size() > 0) {
            JsonNode last = metrics.get(metrics.size() - 1);
            line.append(String.format(Locale.ROOT, "  loss %.4f  val %.4f", last.path("trainLoss").asDouble(),
                    last.path("validationLoss").asDouble()));
        }
        if (!run.path("finished").asBoolean()) {
            OptionalLong eta = etaSeconds(progress, nowMillis);
            line.append("  ETA ").append(eta.isPresent() ? duration(eta.getAsLong()) : "--:--");
        }
        return line.toString();
    }

    /** Seconds left at the pace seen so far; empty until the run has moved while watched. */
    OptionalLong etaSeconds(double progress, long nowMillis) {
        if (firstProgress < 0) {
            firstProgress = progress;
            firstMillis = nowMillis;
            return OptionalLong.empty();
        }
        double done = progress - firstProgress;
        long elapsed = nowMillis - firstMillis;
        if (done <= 0 || elapsed <= 0) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(Math.round((1 - progress) * elapsed / done / 1000));
    }

    /** 0:07, 12:30, 1:02:03. */
    static String duration(long seconds) {
        long h = seconds / 3600;
        long m = seconds / 60 % 60;
        long s = seconds % 60;
        return h > 0 ? String.format(Locale.ROOT, "%d:%02d:%02d", h, m, s) : String.format(Locale.ROOT, "%d:%02d", m, s);
    }
}
