package dev.runway.dataset;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.Random;

/**
 * Upload-and-profile benchmark (not a test): generates a CSV of 1 M rows × 12 columns (~100 MB), then streams it
 * through the same path an upload takes (stage to disk with SHA-256 and the size cap, profile in one pass, store
 * content-addressed) and prints throughput and heap growth. How to run: docs/benchmarks.md.
 */
public final class DatasetUploadBenchmark {

    public static void main(String[] args) throws IOException {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        Path dir = Files.createTempDirectory("runway-bench");
        Path csv = dir.resolve("bench.csv");
        generate(csv, rows);
        long size = Files.size(csv);
        System.out.printf(Locale.ENGLISH, "file: %,d rows x 12 columns, %.1f MB%n", rows, size / 1e6);

        ContentStore store = new ContentStore();
        store.root = dir.resolve("storage");
        for (int run = 1; run <= 3; run++) {
            System.gc();
            long before = usedHeap();
            resetPeaks();
            long start = System.nanoTime();
            ContentStore.Staged staged;
            try (InputStream in = Files.newInputStream(csv)) {
                staged = store.stage(in, 200L * 1024 * 1024);
            }
            long staging = System.nanoTime() - start;
            CsvProfile profile = CsvProfiler.profile(staged.file());
            store.commit(staged);
            long total = System.nanoTime() - start;
            long peak = peakHeap();
            System.out.printf(Locale.ENGLISH,
                    "run %d: %.2f s end to end = %.1f MB/s (stage+sha256 %.2f s, profile %.2f s); "
                            + "heap before %.1f MB, peak %.1f MB, growth %.1f MB; %d rows, %d columns profiled%n",
                    run, total / 1e9, size / 1e6 / (total / 1e9), staging / 1e9, (total - staging) / 1e9,
                    before / 1e6, peak / 1e6, (peak - before) / 1e6, profile.rows(), profile.columns().size());
            Files.deleteIfExists(store.pathOf(staged.sha256()));
        }
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** Eight numeric columns, two categorical, one id, one short text: a typical tabular export. */
    private static void generate(Path csv, int rows) throws IOException {
        Random random = new Random(42);
        String[] regions = {"north", "south", "east", "west", "central"};
        String[] plans = {"free", "team", "enterprise"};
        try (BufferedWriter out = Files.newBufferedWriter(csv)) {
            out.write("id,age,income,balance,score,tenure,visits,spend,ratio,region,plan,comment\n");
            StringBuilder line = new StringBuilder(128);
            for (int i = 0; i < rows; i++) {
                line.setLength(0);
                line.append(i).append(',')
                        .append(18 + random.nextInt(60)).append(',')
                        .append(String.format(Locale.ENGLISH, "%.4f", 20000 + random.nextGaussian() * 8000)).append(',')
                        .append(String.format(Locale.ENGLISH, "%.4f", random.nextGaussian() * 1000)).append(',')
                        .append(String.format(Locale.ENGLISH, "%.6f", random.nextDouble())).append(',')
                        .append(random.nextInt(120)).append(',')
                        .append(random.nextInt(50)).append(',')
                        .append(String.format(Locale.ENGLISH, "%.4f", random.nextDouble() * 500)).append(',')
                        .append(String.format(Locale.ENGLISH, "%.6f", random.nextDouble())).append(',')
                        .append(regions[random.nextInt(regions.length)]).append(',')
                        .append(plans[random.nextInt(plans.length)]).append(',')
                        .append(random.nextInt(10) == 0 ? "" : "customer note " + random.nextInt(1000) + " about the plan").append('\n');
                out.write(line.toString());
            }
        }
    }

    private static long usedHeap() {
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }

    private static void resetPeaks() {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                pool.resetPeakUsage();
            }
        }
    }

    /** Sum of the heap pools' peaks since the reset: an upper bound of the heap in use at any moment. */
    private static long peakHeap() {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                sum += pool.getPeakUsage().getUsed();
            }
        }
        return sum;
    }
}
