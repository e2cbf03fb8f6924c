package dev.runway.base.ui;

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
}
