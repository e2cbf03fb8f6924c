package dev.runway.training;

import dev.runway.base.Downsample;
import dev.runway.tenancy.Access;
import dev.runway.tenancy.Actor;
import dev.runway.tenancy.Permission;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Arrays;
import org.hibernate.Session;

/**
 * A run's loss and metric curves for its page, downsampled on the server (LTTB) to a few hundred points per series. The
 * epochs are read as columns straight into arrays: a run of 100,000 epochs would otherwise load 100,000 entities on
 * every look at its page.
 */
@ApplicationScoped
public class RunCurves {

    /** One series, downsampled: epochs and values. */
    public record Series(double[] epochs, double[] values) {}

    /** {@code epochs}: the metric rows the run has (before downsampling). */
    public record Curves(int epochs, Series trainLoss, Series validationLoss, Series trainMetric,
            Series validationMetric) {}

    @Inject
    EntityManager em;

    @Inject
    Access access;

    @Inject
    RunService runs;

    /** How many epochs of metrics the run has: an index-only count, for a page that redraws its curves on change. */
    @Transactional
    public int count(long runId) {
        Actor actor = access.require(Permission.READ);
        runs.get(runId);
        return ((Number) em.createNativeQuery("select count(*) from run_metric where tenant_id = :tenant and run_id = :run")
                .setParameter("tenant", actor.tenantId()).setParameter("run", runId).getSingleResult()).intValue();
    }

    /** The run's four curves, at most {@code points} points each. A run of another company is not found. */
    @Transactional
    public Curves of(long runId, int points) {
        Actor actor = access.require(Permission.READ);
        runs.get(runId);
        double[][] columns = em.unwrap(Session.class).doReturningWork(connection -> {
            try (PreparedStatement statement = connection.prepareStatement("""
                    select epoch, train_loss, validation_loss, train_metric, validation_metric
                    from run_metric where tenant_id = ? and run_id = ? order by epoch""")) {
                statement.setLong(1, actor.tenantId());
                statement.setLong(2, runId);
                statement.setFetchSize(10_000);
                double[][] out = new double[5][256];
                int n = 0;
                try (ResultSet rs = statement.executeQuery()) {
                    while (rs.next()) {
                        if (n == out[0].length) {
                            for (int c = 0; c < 5; c++) {
                                out[c] = Arrays.copyOf(out[c], n * 2);
                            }
                        }
                        for (int c = 0; c < 5; c++) {
                            out[c][n] = rs.getDouble(c + 1);
                        }
                        n++;
                    }
                }
                for (int c = 0; c < 5; c++) {
                    out[c] = Arrays.copyOf(out[c], n);
                }
                return out;
            }
        });
        double[] epochs = columns[0];
        return new Curves(epochs.length, series(epochs, columns[1], points), series(epochs, columns[2], points),
                series(epochs, columns[3], points), series(epochs, columns[4], points));
    }

    private static Series series(double[] epochs, double[] values, int points) {
        int[] kept = Downsample.lttbIndices(epochs, values, points);
        double[] x = new double[kept.length];
        double[] y = new double[kept.length];
        for (int i = 0; i < kept.length; i++) {
            x[i] = epochs[kept[i]];
            y[i] = values[kept[i]];
        }
        return new Series(x, y);
    }
}
