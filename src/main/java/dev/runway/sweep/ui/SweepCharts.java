package dev.runway.sweep.ui;

import dev.runway.base.ui.SvgChart;
import dev.runway.sweep.SweepService.TrialView;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The objective against one swept parameter, as a server-rendered SVG scatter (like the run page's charts): numbers on
 * a linear axis (a log one for the learning rate and for a weight decay above 0), other values (activations, layer
 * lists) as categories. The best trial is drawn larger, in another colour.
 */
final class SweepCharts {

    private static final int WIDTH = 420;
    private static final int HEIGHT = 260;
    private static final int LEFT = 56;
    private static final int RIGHT = 16;
    private static final int TOP = 30;
    private static final int BOTTOM = 40;

    private SweepCharts() {}

    static String scatter(String title, String objective, List<TrialView> trials, String parameter, Long bestRun) {
        List<TrialView> points = trials.stream().filter(t -> t.trial().getObjective() != null
                && Double.isFinite(t.trial().getObjective())).toList();
        boolean numeric = trials.stream().allMatch(t -> t.parameters().get(parameter) instanceof Number);
        // Learning rate and weight decay are searched over decades; a decay of 0 (off) has no place on a log axis.
        boolean log = numeric && (parameter.equals("learningRate") || parameter.equals("weightDecay")
                && trials.stream().allMatch(t -> ((Number) t.parameters().get(parameter)).doubleValue() > 0));
        List<String> categories = new ArrayList<>();
        if (!numeric) {
            trials.forEach(t -> {
                String c = String.valueOf(t.parameters().get(parameter));
                if (!categories.contains(c)) {
                    categories.add(c);
                }
            });
        }
        double xMin = Double.MAX_VALUE;
        double xMax = -Double.MAX_VALUE;
        if (numeric) {
            for (TrialView t : trials) {
                double x = x(t, parameter, log);
                xMin = Math.min(xMin, x);
                xMax = Math.max(xMax, x);
            }
        } else {
            xMin = -0.5;
            xMax = categories.size() - 0.5;
        }
        if (xMax <= xMin) {
            xMin -= 1;
            xMax += 1;
        }
        double yMin = points.stream().mapToDouble(t -> t.trial().getObjective()).min().orElse(0);
        double yMax = points.stream().mapToDouble(t -> t.trial().getObjective()).max().orElse(1);
        if (yMax <= yMin) {
            yMin -= 0.5;
            yMax += 0.5;
        }
        double pad = (yMax - yMin) * 0.08;
        yMin -= pad;
        yMax += pad;
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" "
                + "width=\"%d\" height=\"%d\" role=\"img\" class=\"sweep-scatter\" aria-label=\"%s\">", WIDTH, HEIGHT,
                WIDTH, HEIGHT, SvgChart.escape(objective + " against " + title)));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"18\" font-size=\"13\" font-weight=\"600\" "
                + "fill=\"currentColor\">%s</text>", LEFT, SvgChart.escape(objective + " by " + title)));
        int plotW = WIDTH - LEFT - RIGHT;
        int plotH = HEIGHT - TOP - BOTTOM;
        svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" "
                + "stroke=\"#ccc\"/>", LEFT, TOP, plotW, plotH));
        for (int i = 0; i <= 3; i++) {
            double v = yMin + (yMax - yMin) * i / 3;
            double y = TOP + plotH - plotH * i / 3.0;
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" font-size=\"11\" text-anchor=\"end\" "
                    + "fill=\"currentColor\">%s</text>", LEFT - 4, y + 4, SvgChart.escape(String.format(Locale.ROOT,
                    "%.3g", v))));
        }
        if (numeric) {
            for (int i = 0; i <= 2; i++) {
                double v = xMin + (xMax - xMin) * i / 2;
                double x = LEFT + plotW * i / 2.0;
                String label = String.format(Locale.ROOT, "%.3g", log ? Math.pow(10, v) : v);
                svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" font-size=\"11\" "
                        + "text-anchor=\"middle\" fill=\"currentColor\">%s</text>", x, HEIGHT - BOTTOM + 16,
                        SvgChart.escape(label)));
            }
        } else {
            for (int i = 0; i < categories.size(); i++) {
                double x = LEFT + plotW * (i + 0.5) / categories.size();
                svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" font-size=\"11\" "
                        + "text-anchor=\"middle\" fill=\"currentColor\">%s</text>", x, HEIGHT - BOTTOM + 16,
                        SvgChart.escape(categories.get(i))));
            }
        }
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\" "
                + "fill=\"currentColor\">%s</text>", LEFT + plotW / 2, HEIGHT - 6,
                SvgChart.escape(title + (log ? " (log scale)" : ""))));
        for (TrialView t : points) {
            double xv = numeric ? x(t, parameter, log)
                    : categories.indexOf(String.valueOf(t.parameters().get(parameter)));
            double x = LEFT + plotW * (xv - xMin) / (xMax - xMin);
            double y = TOP + plotH - plotH * (t.trial().getObjective() - yMin) / (yMax - yMin);
            boolean best = Objects.equals(t.trial().getRunId(), bestRun);
            svg.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%d\" fill=\"%s\" "
                    + "fill-opacity=\"0.8\"><title>%s</title></circle>", x, y, best ? 7 : 4,
                    best ? "#d62728" : "#1f77b4", SvgChart.escape("Trial " + t.trial().getNumber()
                            + (best ? " (best)" : "") + ": " + String.format(Locale.ROOT, "%.4f",
                            t.trial().getObjective()))));
        }
        return svg.append("</svg>").toString();
    }

    private static double x(TrialView t, String parameter, boolean log) {
        double v = ((Number) t.parameters().get(parameter)).doubleValue();
        return log ? Math.log10(v) : v;
    }
}
