package dev.runway.base.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The server-side charts the Budget page draws (kept here: it is their first user). */
class SvgChartTest {

    @Test
    void every_text_in_a_chart_is_escaped() {
        String evil = "<script>alert('x')</script> & \"q\"";
        String svg = SvgChart.bars(evil, evil, List.of(new SvgChart.Series(evil,
                List.of(new SvgChart.Point(evil, 3.0), new SvgChart.Point("b", null)))), 400, 200);
        assertThat(svg).doesNotContain("<script>").doesNotContain("'x'")
                .contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;");
        assertThat(svg).startsWith("<svg").endsWith("</svg>");
    }

    @Test
    void a_line_chart_skips_missing_values_and_draws_each_series() {
        List<SvgChart.Point> points = new ArrayList<>();
        points.add(new SvgChart.Point("Jan", 10.0));
        points.add(new SvgChart.Point("Feb", null));
        points.add(new SvgChart.Point("Mar", 30.0));
        String svg = SvgChart.line("Runway", "months", List.of(new SvgChart.Series("Runway", points)), 400, 200);
        assertThat(svg.split("<circle", -1)).hasSize(3);
        assertThat(svg).contains("<path d=\"M").contains(">months<");
    }

    @Test
    void overlaid_lines_share_a_numeric_x_axis_draw_no_markers_and_escape_names() {
        String svg = SvgChart.xyLines("Loss", "epoch", "loss", List.of(
                new SvgChart.XYSeries("Run <1>", "#1f77b4", false, new double[] {1, 2, 3}, new double[] {3, 2, -0.04}),
                new SvgChart.XYSeries("Run 2", "#ff7f0e", true, new double[] {1, 10}, new double[] {1, Double.NaN})),
                400, 200, false);
        assertThat(svg.split("<path", -1)).hasSize(3);
        assertThat(svg).doesNotContain("<circle").contains("Run &lt;1&gt;").contains("stroke-dasharray")
                .doesNotContain("-0.0 ").doesNotContain("NaN").contains(">epoch<").endsWith("</svg>");
    }

    @Test
    void stacked_bars_stack_each_labels_values() {
        String svg = SvgChart.stackedBars("Runs", "runs", List.of(
                new SvgChart.Series("succeeded", List.of(new SvgChart.Point("1 Nov", 2.0),
                        new SvgChart.Point("2 Nov", 0.0))),
                new SvgChart.Series("failed", List.of(new SvgChart.Point("1 Nov", 1.0),
                        new SvgChart.Point("2 Nov", null)))), List.of("#2a9d8f", "#c0392b"), 400, 200);
        assertThat(svg).contains("succeeded, 1 Nov: 2").contains("failed, 1 Nov: 1").doesNotContain("2 Nov: 0");
    }

    @Test
    void empty_charts_still_render() {
        assertThat(SvgChart.line("Nothing", "", List.of(), 300, 150)).endsWith("</svg>");
        assertThat(SvgChart.bars("Nothing", "", List.of(), 300, 150)).endsWith("</svg>");
    }

    @Test
    void tick_labels_are_compact() {
        assertThat(SvgChart.compact(1_234_567)).isEqualTo("1.23M");
        assertThat(SvgChart.compact(25_000)).isEqualTo("25k");
        assertThat(SvgChart.compact(950)).isEqualTo("950");
        assertThat(SvgChart.compact(0.5)).isEqualTo("0.5");
    }
}
