package dev.runway.base.ui;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.Html;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Small charts drawn on the server as SVG, so that no frontend build is needed: line charts of labelled series and
 * grouped bar charts (plan against actual, histograms, class balance). Every piece of text is escaped. Values are
 * only positions on a drawing here; the figures themselves stay exact wherever they are computed.
 */
public final class SvgChart {

    /** A value at a label on the x axis; a null value leaves a gap. */
    public record Point(String label, Double value) {}

    /** A named line (or a bar colour across groups). */
    public record Series(String name, List<Point> points) {
        public Series {
            Objects.requireNonNull(name);
            points = List.copyOf(points);
        }
    }

    /**
     * A line over numeric x values (ascending), drawn in {@code colour}; {@code dashed} tells lines of the same colour
     * apart when there are more lines than colours.
     */
    public record XYSeries(String name, String colour, boolean dashed, double[] x, double[] y) {
        public XYSeries {
            Objects.requireNonNull(name);
            if (x.length != y.length) {
                throw new IllegalArgumentException("x and y differ in length");
            }
        }
    }

    /**
     * Twenty colours for many lines at once (run comparison): Tableau's 10 and their lighter pairs, each still apart
     * from its neighbours; past 20 the caller dashes.
     */
    public static final List<String> MANY_COLOURS = List.of("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
            "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf", "#103d6b", "#b35900", "#166b16", "#7a1416",
            "#5b3d7a", "#c49c94", "#a64d8c", "#3d3d3d", "#6b6b10", "#0e7380");

    /** Lumo-like colours that stay apart for people with the common colour-vision deficiencies. */
    private static final String[] COLOURS = {"#1f6fd1", "#e8833a", "#2a9d8f", "#8e5ea2", "#c0392b", "#7f8c8d"};
    private static final int PAD_LEFT = 64;
    private static final int PAD_RIGHT = 16;
    private static final int PAD_TOP = 36;
    private static final int PAD_BOTTOM = 48;
    private static final int TICKS = 5;

    private SvgChart() {}

    /** A line chart; all series share the x labels of the first one. {@code unit} labels the y axis. */
    public static String line(String title, String unit, List<Series> series, int width, int height) {
        List<String> labels = series.isEmpty() ? List.of() : series.get(0).points().stream().map(Point::label).toList();
        double[] range = range(series);
        StringBuilder svg = open(title, width, height);
        axes(svg, unit, labels, range, width, height, false);
        double plotW = width - PAD_LEFT - PAD_RIGHT;
        double step = labels.size() <= 1 ? 0 : plotW / (labels.size() - 1);
        for (int s = 0; s < series.size(); s++) {
            String colour = COLOURS[s % COLOURS.length];
            StringBuilder path = new StringBuilder();
            boolean pen = false;
            List<Point> points = series.get(s).points();
            for (int i = 0; i < points.size(); i++) {
                Double v = points.get(i).value();
                if (v == null || v.isNaN() || v.isInfinite()) {
                    pen = false;
                    continue;
                }
                double x = PAD_LEFT + (labels.size() <= 1 ? plotW / 2 : i * step);
                double y = y(v, range, height);
                path.append(pen ? " L" : " M").append(num(x)).append(' ').append(num(y));
                pen = true;
                svg.append("<circle cx=\"").append(num(x)).append("\" cy=\"").append(num(y))
                        .append("\" r=\"3\" fill=\"").append(colour).append("\"><title>")
                        .append(escape(series.get(s).name() + ", " + points.get(i).label() + ": " + compact(v)
                                + (unit.isEmpty() ? "" : " " + unit)))
                        .append("</title></circle>");
            }
            if (!path.isEmpty()) {
                svg.append("<path d=\"").append(path.toString().strip()).append("\" fill=\"none\" stroke=\"")
                        .append(colour).append("\" stroke-width=\"2\"/>");
            }
        }
        legend(svg, series, width);
        return svg.append("</svg>").toString();
    }

    /**
     * A grouped bar chart: one group per x label (taken from the first series), one bar per series in each group.
     */
    public static String bars(String title, String unit, List<Series> series, int width, int height) {
        List<String> labels = series.isEmpty() ? List.of() : series.get(0).points().stream().map(Point::label).toList();
        double[] range = range(series);
        StringBuilder svg = open(title, width, height);
        axes(svg, unit, labels, range, width, height, true);
        double plotW = width - PAD_LEFT - PAD_RIGHT;
        double groupW = labels.isEmpty() ? 0 : plotW / labels.size();
        double barW = series.isEmpty() ? 0 : groupW * 0.8 / series.size();
        double zeroY = y(0, range, height);
        for (int s = 0; s < series.size(); s++) {
            String colour = COLOURS[s % COLOURS.length];
            List<Point> points = series.get(s).points();
            for (int i = 0; i < Math.min(points.size(), labels.size()); i++) {
                Double v = points.get(i).value();
                if (v == null || v.isNaN() || v.isInfinite()) {
                    continue;
                }
                double x = PAD_LEFT + i * groupW + groupW * 0.1 + s * barW;
                double y = y(v, range, height);
                svg.append("<rect x=\"").append(num(x)).append("\" y=\"").append(num(Math.min(y, zeroY)))
                        .append("\" width=\"").append(num(Math.max(1, barW - 2))).append("\" height=\"")
                        .append(num(Math.max(Math.abs(zeroY - y), v == 0 ? 0 : 1))).append("\" fill=\"")
                        .append(colour).append("\"><title>")
                        .append(escape(series.get(s).name() + ", " + points.get(i).label() + ": " + compact(v)
                                + (unit.isEmpty() ? "" : " " + unit)))
                        .append("</title></rect>");
            }
        }
        legend(svg, series, width);
        return svg.append("</svg>").toString();
    }

    /**
     * Lines over a shared numeric x axis (epochs, hours): no marker per point, so that twenty lines of hundreds of
     * points stay light in the browser; each line carries its name as a tooltip. The legend is left to the page when
     * {@code legend} is false (one legend for several charts).
     */
    public static String xyLines(String title, String xUnit, String unit, List<XYSeries> series, int width,
            int height, boolean legend) {
        double xMin = Double.POSITIVE_INFINITY;
        double xMax = Double.NEGATIVE_INFINITY;
        List<Series> forRange = new ArrayList<>();
        for (XYSeries s : series) {
            List<Point> values = new ArrayList<>(s.y().length);
            for (int i = 0; i < s.x().length; i++) {
                xMin = Math.min(xMin, s.x()[i]);
                xMax = Math.max(xMax, s.x()[i]);
                values.add(new Point("", s.y()[i]));
            }
            forRange.add(new Series(s.name(), values));
        }
        if (xMin > xMax) {
            xMin = 0;
            xMax = 1;
        } else if (xMin == xMax) {
            xMax = xMin + 1;
        }
        double[] range = range(forRange);
        StringBuilder svg = open(title, width, height);
        axes(svg, unit, List.of(), range, width, height, false);
        double plotW = width - PAD_LEFT - PAD_RIGHT;
        double bottom = height - PAD_BOTTOM;
        double xStep = niceStep((xMax - xMin) / 5);
        for (double t = Math.ceil(xMin / xStep) * xStep; t <= xMax + xStep * 1e-9; t += xStep) {
            double x = PAD_LEFT + (t - xMin) / (xMax - xMin) * plotW;
            svg.append("<text x=\"").append(num(x)).append("\" y=\"").append(num(bottom + 16))
                    .append("\" text-anchor=\"middle\" fill=\"#555\">").append(escape(compact(t))).append("</text>");
        }
        if (!xUnit.isEmpty()) {
            svg.append("<text x=\"").append(num(PAD_LEFT + plotW / 2)).append("\" y=\"").append(num(bottom + 34))
                    .append("\" text-anchor=\"middle\" fill=\"#555\">").append(escape(xUnit)).append("</text>");
        }
        for (XYSeries s : series) {
            StringBuilder path = new StringBuilder(s.x().length * 12);
            boolean pen = false;
            for (int i = 0; i < s.x().length; i++) {
                double v = s.y()[i];
                if (Double.isNaN(v) || Double.isInfinite(v)) {
                    pen = false;
                    continue;
                }
                double x = PAD_LEFT + (s.x()[i] - xMin) / (xMax - xMin) * plotW;
                path.append(pen ? 'L' : 'M');
                appendNum(path, x);
                path.append(' ');
                appendNum(path, y(v, range, height));
                pen = true;
            }
            if (!path.isEmpty()) {
                svg.append("<path d=\"").append(path).append("\" fill=\"none\" stroke=\"").append(escape(s.colour()))
                        .append("\" stroke-width=\"1.6\"").append(s.dashed() ? " stroke-dasharray=\"5 3\"" : "")
                        .append("><title>").append(escape(s.name())).append("</title></path>");
            }
        }
        if (legend) {
            double x = PAD_LEFT;
            for (XYSeries s : series) {
                svg.append("<rect x=\"").append(num(x)).append("\" y=\"22\" width=\"10\" height=\"10\" fill=\"")
                        .append(escape(s.colour())).append("\"/><text x=\"").append(num(x + 14))
                        .append("\" y=\"31\" fill=\"#333\">").append(escape(s.name())).append("</text>");
                x += 24 + s.name().length() * 6.5;
                if (x > width - 80) {
                    break;
                }
            }
        }
        return svg.append("</svg>").toString();
    }

    /**
     * Stacked bars: one bar per x label (from the first series), the series' values stacked in it (counts by status
     * per day). Negative and missing values count as zero.
     */
    public static String stackedBars(String title, String unit, List<Series> series, List<String> colours, int width,
            int height) {
        List<String> labels = series.isEmpty() ? List.of() : series.get(0).points().stream().map(Point::label).toList();
        double[] totals = new double[labels.size()];
        for (Series s : series) {
            for (int i = 0; i < Math.min(labels.size(), s.points().size()); i++) {
                Double v = s.points().get(i).value();
                totals[i] += v == null || !(v > 0) ? 0 : v;
            }
        }
        List<Point> totalPoints = new ArrayList<>();
        for (int i = 0; i < totals.length; i++) {
            totalPoints.add(new Point(labels.get(i), totals[i]));
        }
        double[] range = range(List.of(new Series("total", totalPoints)));
        StringBuilder svg = open(title, width, height);
        axes(svg, unit, labels, range, width, height, true);
        double plotW = width - PAD_LEFT - PAD_RIGHT;
        double barW = labels.isEmpty() ? 0 : plotW / labels.size();
        double[] base = new double[labels.size()];
        for (int s = 0; s < series.size(); s++) {
            String colour = colours.get(s % colours.size());
            List<Point> points = series.get(s).points();
            for (int i = 0; i < Math.min(points.size(), labels.size()); i++) {
                Double v = points.get(i).value();
                if (v == null || !(v > 0)) {
                    continue;
                }
                double top = y(base[i] + v, range, height);
                double low = y(base[i], range, height);
                base[i] += v;
                svg.append("<rect x=\"").append(num(PAD_LEFT + i * barW + barW * 0.1)).append("\" y=\"")
                        .append(num(top)).append("\" width=\"").append(num(Math.max(1, barW * 0.8)))
                        .append("\" height=\"").append(num(Math.max(1, low - top))).append("\" fill=\"")
                        .append(escape(colour)).append("\"><title>")
                        .append(escape(series.get(s).name() + ", " + points.get(i).label() + ": " + compact(v)
                                + (unit.isEmpty() ? "" : " " + unit)))
                        .append("</title></rect>");
            }
        }
        double x = PAD_LEFT;
        for (int s = 0; s < series.size(); s++) {
            String name = series.get(s).name();
            svg.append("<rect x=\"").append(num(x)).append("\" y=\"22\" width=\"10\" height=\"10\" fill=\"")
                    .append(escape(colours.get(s % colours.size()))).append("\"/><text x=\"").append(num(x + 14))
                    .append("\" y=\"31\" fill=\"#333\">").append(escape(name)).append("</text>");
            x += 24 + name.length() * 6.5;
        }
        return svg.append("</svg>").toString();
    }

    /** The chart as a component; the markup is ours and every text in it escaped. */
    public static Component component(String svg) {
        Html html = new Html("<div class=\"svg-chart\">" + svg + "</div>");
        html.getElement().getStyle().set("max-width", "100%").set("overflow-x", "auto");
        return html;
    }

    /** Text safe inside SVG/XML elements and attribute values. */
    public static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> {
                    if (c >= 0x20 || c == '\n' || c == '\t') {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }

    /** 1234567 → "1.23M", 950 → "950", 0.5 → "0.5": tick labels stay short. */
    public static String compact(double value) {
        double abs = Math.abs(value);
        if (abs >= 1e9) {
            return trim(value / 1e9) + "B";
        }
        if (abs >= 1e6) {
            return trim(value / 1e6) + "M";
        }
        if (abs >= 1e4) {
            return trim(value / 1e3) + "k";
        }
        return trim(value);
    }

    private static String trim(double v) {
        String s = String.format(Locale.ROOT, "%.2f", v);
        s = s.contains(".") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
        return s.equals("-0") ? "0" : s;
    }

    private static StringBuilder open(String title, int width, int height) {
        StringBuilder svg = new StringBuilder(4096);
        svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" viewBox=\"0 0 ").append(width).append(' ')
                .append(height).append("\" width=\"").append(width).append("\" height=\"").append(height)
                .append("\" aria-label=\"").append(escape(title)).append("\" font-family=\"sans-serif\" "
                        + "font-size=\"11\"><title>").append(escape(title)).append("</title>")
                .append("<text x=\"").append(PAD_LEFT).append("\" y=\"16\" font-size=\"13\" font-weight=\"600\" "
                        + "fill=\"#1a1a1a\">").append(escape(title)).append("</text>");
        return svg;
    }

    private static void axes(StringBuilder svg, String unit, List<String> labels, double[] range, int width,
            int height, boolean centred) {
        double plotW = width - PAD_LEFT - PAD_RIGHT;
        double bottom = height - PAD_BOTTOM;
        int ticks = (int) Math.round((range[1] - range[0]) / range[2]);
        for (int t = 0; t <= ticks; t++) {
            double v = range[0] + range[2] * t;
            double y = y(v, range, height);
            svg.append("<line x1=\"").append(PAD_LEFT).append("\" x2=\"").append(width - PAD_RIGHT)
                    .append("\" y1=\"").append(num(y)).append("\" y2=\"").append(num(y))
                    .append("\" stroke=\"#e3e6ea\"/>")
                    .append("<text x=\"").append(PAD_LEFT - 6).append("\" y=\"").append(num(y + 4))
                    .append("\" text-anchor=\"end\" fill=\"#555\">").append(escape(compact(v))).append("</text>");
        }
        if (!unit.isEmpty()) {
            svg.append("<text x=\"12\" y=\"").append(num(PAD_TOP + (bottom - PAD_TOP) / 2))
                    .append("\" transform=\"rotate(-90 12 ").append(num(PAD_TOP + (bottom - PAD_TOP) / 2))
                    .append(")\" text-anchor=\"middle\" fill=\"#555\">").append(escape(unit)).append("</text>");
        }
        svg.append("<line x1=\"").append(PAD_LEFT).append("\" x2=\"").append(width - PAD_RIGHT).append("\" y1=\"")
                .append(num(bottom)).append("\" y2=\"").append(num(bottom)).append("\" stroke=\"#888\"/>");
        int every = Math.max(1, (int) Math.ceil(labels.size() / Math.max(1.0, plotW / 70)));
        for (int i = 0; i < labels.size(); i += every) {
            double x;
            if (centred) {
                x = PAD_LEFT + (i + 0.5) * plotW / labels.size();
            } else {
                x = PAD_LEFT + (labels.size() <= 1 ? plotW / 2 : i * plotW / (labels.size() - 1));
            }
            svg.append("<text x=\"").append(num(x)).append("\" y=\"").append(num(bottom + 16))
                    .append("\" text-anchor=\"middle\" fill=\"#555\">").append(escape(labels.get(i)))
                    .append("</text>");
        }
    }

    private static void legend(StringBuilder svg, List<Series> series, int width) {
        double x = PAD_LEFT;
        double y = 30;
        for (int s = 0; s < series.size(); s++) {
            String name = series.get(s).name();
            svg.append("<rect x=\"").append(num(x)).append("\" y=\"").append(num(y - 8))
                    .append("\" width=\"10\" height=\"10\" fill=\"").append(COLOURS[s % COLOURS.length])
                    .append("\"/><text x=\"").append(num(x + 14)).append("\" y=\"").append(num(y + 1))
                    .append("\" fill=\"#333\">").append(escape(name)).append("</text>");
            x += 24 + name.length() * 6.5;
            if (x > width - 80) {
                break;
            }
        }
    }

    /** Axis bottom, top and tick step over every value, always including zero, never an empty range. */
    private static double[] range(List<Series> series) {
        List<Double> values = new ArrayList<>();
        series.forEach(s -> s.points().stream().map(Point::value)
                .filter(v -> v != null && !v.isNaN() && !v.isInfinite()).forEach(values::add));
        double min = Math.min(0, values.stream().mapToDouble(Double::doubleValue).min().orElse(0));
        double max = Math.max(0, values.stream().mapToDouble(Double::doubleValue).max().orElse(0));
        if (max == min) {
            max = min + 1;
        }
        double step = niceStep((max - min) / TICKS);
        return new double[] {Math.floor(min / step) * step, Math.ceil(max / step) * step, step};
    }

    private static double niceStep(double raw) {
        double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
        double fraction = raw / magnitude;
        double nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 2.5 ? 2.5 : fraction <= 5 ? 5 : 10;
        return nice * magnitude;
    }

    private static double y(double value, double[] range, int height) {
        double plotH = height - PAD_TOP - PAD_BOTTOM - 8;
        return height - PAD_BOTTOM - (value - range[0]) / (range[1] - range[0]) * plotH;
    }

    /** {@link #num} without a formatter: twenty lines of hundreds of points are tens of thousands of numbers. */
    private static void appendNum(StringBuilder out, double v) {
        long tenths = Math.round(v * 10);
        if (tenths < 0) {
            out.append('-');
            tenths = -tenths;
        }
        out.append(tenths / 10).append('.').append(tenths % 10);
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }
}
