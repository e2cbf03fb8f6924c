package dev.runway.testing;

import java.util.Random;

/** A wide CSV generated for a test (not committed as a file): numeric columns f0001… and a class label. */
public final class WideCsv {

    private WideCsv() {}

    /** {@code features} numeric columns with one decimal and a yes/no label, with a seeded random body. */
    public static String of(int features, int rows) {
        Random random = new Random(7);
        StringBuilder csv = new StringBuilder();
        for (int c = 1; c <= features; c++) {
            csv.append(String.format("f%04d", c)).append(',');
        }
        csv.append("label\n");
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < features; c++) {
                csv.append(random.nextInt(1000) / 10.0).append(',');
            }
            csv.append(r % 2 == 0 ? "yes" : "no").append('\n');
        }
        return csv.toString();
    }
}
