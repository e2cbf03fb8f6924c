package dev.runway.base;

import java.util.ArrayList;
import java.util.List;

/**
 * Largest-Triangle-Three-Buckets downsampling (Steinarsson, 2013): keeps the shape of a long series (peaks, drops) in
 * a few hundred points, so that a chart of 100,000 values draws at once. O(n).
 */
public final class Downsample {

    public record XY(double x, double y) {}

    private Downsample() {}

    public static List<XY> lttb(List<XY> data, int threshold) {
        int n = data.size();
        if (threshold >= n || threshold < 3) {
            return data;
        }
        List<XY> sampled = new ArrayList<>(threshold);
        double every = (double) (n - 2) / (threshold - 2);
        int a = 0;
        sampled.add(data.get(0));
        for (int i = 0; i < threshold - 2; i++) {
            int avgStart = (int) Math.floor((i + 1) * every) + 1;
            int avgEnd = Math.min((int) Math.floor((i + 2) * every) + 1, n);
            double avgX = 0;
            double avgY = 0;
            for (int j = avgStart; j < avgEnd; j++) {
                avgX += data.get(j).x();
                avgY += data.get(j).y();
            }
            int avgLength = Math.max(1, avgEnd - avgStart);
            avgX /= avgLength;
            avgY /= avgLength;
            int rangeStart = (int) Math.floor(i * every) + 1;
            int rangeEnd = (int) Math.floor((i + 1) * every) + 1;
            XY pointA = data.get(a);
            double maxArea = -1;
            int next = rangeStart;
            for (int j = rangeStart; j < rangeEnd; j++) {
                XY p = data.get(j);
                double area = Math.abs((pointA.x() - avgX) * (p.y() - pointA.y())
                        - (pointA.x() - p.x()) * (avgY - pointA.y()));
                if (area > maxArea) {
                    maxArea = area;
                    next = j;
                }
            }
            sampled.add(data.get(next));
            a = next;
        }
        sampled.add(data.get(n - 1));
        return sampled;
    }

    /**
     * The same selection on parallel arrays (x ascending), as the indices of the points kept, in order: for long
     * series read straight from the database, without a boxed point per value.
     */
    public static int[] lttbIndices(double[] xs, double[] ys, int threshold) {
        int n = Math.min(xs.length, ys.length);
        if (threshold >= n || threshold < 3) {
            int[] all = new int[n];
            for (int i = 0; i < n; i++) {
                all[i] = i;
            }
            return all;
        }
        int[] kept = new int[threshold];
        double every = (double) (n - 2) / (threshold - 2);
        int a = 0;
        for (int i = 0; i < threshold - 2; i++) {
            int avgStart = (int) Math.floor((i + 1) * every) + 1;
            int avgEnd = Math.min((int) Math.floor((i + 2) * every) + 1, n);
            double avgX = 0;
            double avgY = 0;
            for (int j = avgStart; j < avgEnd; j++) {
                avgX += xs[j];
                avgY += ys[j];
            }
            int avgLength = Math.max(1, avgEnd - avgStart);
            avgX /= avgLength;
            avgY /= avgLength;
            int rangeStart = (int) Math.floor(i * every) + 1;
            int rangeEnd = (int) Math.floor((i + 1) * every) + 1;
            double maxArea = -1;
            int next = rangeStart;
            for (int j = rangeStart; j < rangeEnd; j++) {
                double area = Math.abs((xs[a] - avgX) * (ys[j] - ys[a]) - (xs[a] - xs[j]) * (avgY - ys[a]));
                if (area > maxArea) {
                    maxArea = area;
                    next = j;
                }
            }
            kept[i + 1] = next;
            a = next;
        }
        kept[threshold - 1] = n - 1;
        return kept;
    }
}
