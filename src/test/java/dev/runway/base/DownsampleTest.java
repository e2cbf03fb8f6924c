package dev.runway.base;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DownsampleTest {

    @Test
    void the_array_form_keeps_the_same_points_as_the_list_form_within_the_bound() {
        int n = 10_000;
        double[] xs = new double[n];
        double[] ys = new double[n];
        List<Downsample.XY> points = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            xs[i] = i + 1;
            ys[i] = 1.0 / (i + 1) + (i == 5_000 ? 3 : 0) + 0.01 * Math.sin(i);
            points.add(new Downsample.XY(xs[i], ys[i]));
        }
        int[] kept = Downsample.lttbIndices(xs, ys, 400);
        List<Downsample.XY> fromList = Downsample.lttb(points, 400);

        assertThat(kept).hasSize(400).startsWith(0).endsWith(n - 1).isSorted();
        assertThat(kept).contains(5_000);   // the spike survives
        for (int i = 0; i < kept.length; i++) {
            assertThat(xs[kept[i]]).isEqualTo(fromList.get(i).x());
        }
    }

    @Test
    void a_short_series_is_kept_whole() {
        assertThat(Downsample.lttbIndices(new double[] {1, 2, 3}, new double[] {3, 1, 2}, 400))
                .containsExactly(0, 1, 2);
    }
}
