package dev.runway.ui;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/** Figures for the console's benchmarks: percentiles, the load average, one report line. */
final class Bench {

    private Bench() {}

    /** Median, p90, p95, min and max of {@code ms} (milliseconds). */
    static String stats(double[] ms) {
        if (ms.length == 0) {
            return "no samples";
        }
        double[] sorted = ms.clone();
        Arrays.sort(sorted);
        return String.format(Locale.ROOT, "n %d, median %.0f ms, p90 %.0f ms, p95 %.0f ms, min %.0f ms, max %.0f ms",
                sorted.length, percentile(sorted, 50), percentile(sorted, 90), percentile(sorted, 95), sorted[0],
                sorted[sorted.length - 1]);
    }

    /** The nearest-rank percentile of an ascending array. */
    static double percentile(double[] sorted, double p) {
        int rank = (int) Math.ceil(sorted.length * p / 100.0);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    static String load() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (Exception e) {
            return "unknown";
        }
    }

    static void report(String name, String format, Object... args) {
        System.out.println("[" + name + "-benchmark] " + String.format(Locale.ROOT, format, args));
    }
}
