package dev.runway.training;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Consumer;

/**
 * The generated tables of the scikit-learn peer benchmark ({@link PeerBenchmark}), beside the shared samples: each is
 * drawn from a fixed seed, so the same bytes come out on every machine and Java version ({@link Random} is specified).
 * The files are committed under {@code src/test/resources/peer/}; {@code main} writes them again (the benchmark checks
 * that the committed files are what this class writes). docs/benchmarks.md describes each.
 */
public final class PeerTables {

    /** Where the committed tables are. */
    public static final Path DIR = Path.of("src/test/resources/peer");

    /**
     * One generated table: its file, target column, task (as {@code Preparation.TaskType} names it) and what it is
     * there to show.
     */
    public record Table(String file, String target, String task, String about, Consumer<StringBuilder> body) {

        public String csv() {
            StringBuilder out = new StringBuilder(64 * 1024);
            body.accept(out);
            return out.toString();
        }
    }

    private PeerTables() {}

    public static List<Table> all() {
        return List.of(
                new Table("wine_like.csv", "cultivar", "CLASSIFICATION",
                        "wine-like: 13 features on their own scales, 3 classes, 178 rows", PeerTables::wineLike),
                new Table("wide.csv", "label", "CLASSIFICATION",
                        "wide: 60 features (12 informative, 12 redundant, 36 noise), 3 classes, 600 rows",
                        PeerTables::wide),
                new Table("imbalanced.csv", "churned", "CLASSIFICATION",
                        "imbalanced: 10 features (skewed, scaled), 4,000 rows, about 6 % positives",
                        PeerTables::imbalanced),
                new Table("small.csv", "label", "CLASSIFICATION",
                        "small: 150 rows, 5 features, a curved boundary", PeerTables::small),
                new Table("noisy_regression.csv", "y", "REGRESSION",
                        "regression: 8 features, Gaussian noise, 5 % gross outliers in the target, 1,000 rows",
                        PeerTables::noisyRegression),
                new Table("categorical_missing.csv", "converted", "CLASSIFICATION",
                        "categorical: 3 numeric and 4 categorical columns, about 10 % of the cells missing, "
                                + "1,500 rows", PeerTables::categoricalMissing));
    }

    /** The committed tables that are not byte for byte what this class writes (none, unless it changed). */
    public static List<String> differing() throws IOException {
        List<String> out = new ArrayList<>();
        for (Table t : all()) {
            Path file = DIR.resolve(t.file());
            if (!Files.exists(file) || !Files.readString(file, StandardCharsets.UTF_8).equals(t.csv())) {
                out.add(t.file());
            }
        }
        return out;
    }

    public static void main(String[] args) throws IOException {
        Path dir = args.length > 0 ? Path.of(args[0]) : DIR;
        Files.createDirectories(dir);
        for (Table t : all()) {
            Files.writeString(dir.resolve(t.file()), t.csv(), StandardCharsets.UTF_8);
        }
    }

    // Class means and standard deviations of the 13 measurements, in the style of the UCI wine data (three cultivars).
    private static final String[] WINE = {"alcohol", "malic_acid", "ash", "alcalinity", "magnesium", "total_phenols",
        "flavanoids", "nonflavanoid_phenols", "proanthocyanins", "color_intensity", "hue", "od280", "proline"};
    private static final double[][] WINE_MEAN = {
        {13.74, 2.01, 2.46, 17.0, 106.3, 2.84, 2.98, 0.29, 1.90, 5.53, 1.06, 3.16, 1116},
        {12.28, 1.93, 2.24, 20.2, 94.5, 2.26, 2.08, 0.36, 1.63, 3.09, 1.06, 2.79, 520},
        {13.15, 3.33, 2.44, 21.4, 99.3, 1.68, 0.78, 0.45, 1.15, 7.40, 0.68, 1.68, 630}};
    private static final double[][] WINE_SD = {
        {0.46, 0.69, 0.23, 2.5, 10.5, 0.34, 0.40, 0.07, 0.41, 1.24, 0.12, 0.36, 221},
        {0.54, 1.02, 0.32, 3.3, 16.8, 0.55, 0.70, 0.12, 0.60, 0.92, 0.20, 0.50, 158},
        {0.53, 1.09, 0.18, 2.3, 10.9, 0.36, 0.29, 0.12, 0.41, 2.31, 0.11, 0.27, 115}};

    /**
     * 59, 71 and 48 rows of the three classes (the wine data's counts). The spread is widened by 1.6 and a shared
     * factor per row moves the phenol-like measurements together, so the classes overlap as much as in the real data.
     */
    private static void wineLike(StringBuilder out) {
        Random r = new Random(1515);
        out.append(String.join(",", WINE)).append(",cultivar\n");
        int[] counts = {59, 71, 48};
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < counts[c]; i++) {
                double shared = r.nextGaussian();
                for (int f = 0; f < WINE.length; f++) {
                    boolean phenol = f == 5 || f == 6 || f == 8 || f == 11;
                    double z = phenol ? 0.7 * shared + 0.71 * r.nextGaussian() : r.nextGaussian();
                    double v = Math.max(0.01, WINE_MEAN[c][f] + 1.6 * WINE_SD[c][f] * z);
                    out.append(f == 4 || f == 12 ? String.valueOf(Math.round(v)) : fixed(v, 2)).append(',');
                }
                out.append("class_").append(c).append('\n');
            }
        }
    }

    /**
     * 12 informative features (class centroids drawn once, at distance about 1.2 per feature), 12 redundant ones (a
     * fixed random mix of the informative ones plus noise) and 36 pure noise columns, each on its own scale and offset.
     */
    private static void wide(StringBuilder out) {
        Random r = new Random(6060);
        int informative = 12;
        int redundant = 12;
        int noise = 36;
        int width = informative + redundant + noise;
        double[][] centroid = new double[3][informative];
        for (double[] c : centroid) {
            for (int f = 0; f < informative; f++) {
                c[f] = 0.6 * r.nextGaussian();
            }
        }
        double[][] mix = new double[redundant][informative];
        for (double[] m : mix) {
            for (int f = 0; f < informative; f++) {
                m[f] = r.nextGaussian() / Math.sqrt(informative);
            }
        }
        double[] scale = new double[width];
        double[] offset = new double[width];
        for (int f = 0; f < width; f++) {
            scale[f] = Math.exp(r.nextGaussian());
            offset[f] = 10 * r.nextGaussian();
        }
        for (int f = 1; f <= width; f++) {
            out.append(String.format(Locale.ROOT, "f%02d", f)).append(',');
        }
        out.append("label\n");
        for (int i = 0; i < 600; i++) {
            int c = i % 3;
            double[] row = new double[width];
            for (int f = 0; f < informative; f++) {
                row[f] = centroid[c][f] + r.nextGaussian();
            }
            for (int k = 0; k < redundant; k++) {
                double v = 0.3 * r.nextGaussian();
                for (int f = 0; f < informative; f++) {
                    v += mix[k][f] * row[f];
                }
                row[informative + k] = v;
            }
            for (int f = informative + redundant; f < width; f++) {
                row[f] = r.nextGaussian();
            }
            for (int f = 0; f < width; f++) {
                out.append(fixed(offset[f] + scale[f] * row[f], 4)).append(',');
            }
            out.append((char) ('a' + c)).append('\n');
        }
    }

    /**
     * A churn-like table: the log-odds are linear in 6 of the 10 features plus one interaction, with an intercept that
     * leaves about 6 % positives; two features are log-normal (amounts), one is a count, one is on a scale of
     * thousands.
     */
    private static void imbalanced(StringBuilder out) {
        Random r = new Random(606);
        out.append("tenure_months,monthly_spend,support_calls,logins_per_week,seats,discount,age_days,"
                + "late_payments,nps,region_code,churned\n");
        for (int i = 0; i < 4000; i++) {
            double tenure = Math.max(1, 24 + 15 * r.nextGaussian());
            double spend = Math.exp(4 + 0.8 * r.nextGaussian());
            int calls = poisson(r, 1.5);
            double logins = Math.max(0, 5 + 3 * r.nextGaussian());
            int seats = 1 + poisson(r, 4);
            double discount = r.nextDouble() * 0.3;
            double age = 365 * tenure / 12 + 30 * r.nextGaussian() + 1000;
            int late = poisson(r, 0.4);
            double nps = Math.max(-100, Math.min(100, 20 + 40 * r.nextGaussian()));
            int region = r.nextInt(9);
            double logit = -3.7 - 0.05 * (tenure - 24) + 0.45 * (calls - 1.5) - 0.35 * (logins - 5)
                    + 0.8 * late - 0.02 * nps + 0.5 * Math.log(spend / 55) + 0.15 * (calls - 1.5) * (late - 0.4);
            boolean churned = r.nextDouble() < 1 / (1 + Math.exp(-logit));
            out.append(fixed(tenure, 1)).append(',').append(fixed(spend, 2)).append(',').append(calls).append(',')
                    .append(fixed(logins, 2)).append(',').append(seats).append(',').append(fixed(discount, 3))
                    .append(',').append(fixed(age, 0)).append(',').append(late).append(',').append(fixed(nps, 0))
                    .append(',').append(region).append(',').append(churned ? "yes" : "no").append('\n');
        }
    }

    /**
     * 150 rows: the label is 1 above a parabola in (x1, x2) with a linear term in x3, plus label noise; x4 and x5 are
     * noise.
     */
    private static void small(StringBuilder out) {
        Random r = new Random(150);
        out.append("x1,x2,x3,x4,x5,label\n");
        for (int i = 0; i < 150; i++) {
            double x1 = r.nextGaussian();
            double x2 = r.nextGaussian();
            double x3 = r.nextGaussian();
            double x4 = r.nextGaussian();
            double x5 = 5 + 2 * r.nextGaussian();
            double s = x2 - 0.6 * x1 * x1 + 0.8 * x3 + 0.4 + 0.35 * r.nextGaussian();
            out.append(fixed(x1, 3)).append(',').append(fixed(x2, 3)).append(',').append(fixed(x3, 3)).append(',')
                    .append(fixed(x4, 3)).append(',').append(fixed(x5, 3)).append(',').append(s > 0 ? "1" : "0")
                    .append('\n');
        }
    }

    /**
     * y = 3 + a linear function of 7 features (one pair nearly collinear, two on scales of hundreds) + 1.5 sin(x1) +
     * Gaussian noise (sd 1); 5 % of the rows get a gross error of ±10 to 30 in y. x8 carries nothing.
     */
    private static void noisyRegression(StringBuilder out) {
        Random r = new Random(808);
        out.append("x1,x2,x3,x4,x5,x6,x7,x8,y\n");
        double[] w = {2.0, -1.5, 1.0, 0.5, 0.8, 0.03, -0.02, 0};
        for (int i = 0; i < 1000; i++) {
            double[] x = new double[8];
            for (int f = 0; f < 5; f++) {
                x[f] = r.nextGaussian();
            }
            x[4] = x[3] + 0.1 * r.nextGaussian(); // nearly collinear with x4
            x[5] = 100 * r.nextGaussian() + 500;
            x[6] = 50 * r.nextGaussian() - 200;
            x[7] = r.nextGaussian();
            double y = 3 + 1.5 * Math.sin(x[0]) + r.nextGaussian();
            for (int f = 0; f < 8; f++) {
                y += w[f] * (f == 5 ? x[f] - 500 : f == 6 ? x[f] + 200 : x[f]);
            }
            if (r.nextDouble() < 0.05) {
                y += (r.nextBoolean() ? 1 : -1) * (10 + 20 * r.nextDouble());
            }
            for (double v : x) {
                out.append(fixed(v, 4)).append(',');
            }
            out.append(fixed(y, 4)).append('\n');
        }
    }

    /**
     * A sign-up funnel: 3 numeric and 4 categorical columns, each cell missing with probability 0.1 (written as empty,
     * {@code NA} or {@code ?}); the log-odds of {@code converted} depend on the plan, the channel, the region, income
     * and visits.
     */
    private static void categoricalMissing(StringBuilder out) {
        Random r = new Random(1500);
        String[] regions = {"north", "south", "east", "west", "central"};
        double[] regionEffect = {0.3, -0.4, 0.1, 0.0, -0.2};
        String[] plans = {"free", "team", "enterprise"};
        double[] planEffect = {-1.0, 0.4, 1.0};
        String[] channels = {"search", "social", "referral", "email"};
        double[] channelEffect = {0.2, -0.6, 0.9, 0.1};
        String[] devices = {"desktop", "mobile", "tablet"};
        String[] missing = {"", "NA", "?"};
        out.append("age,income,visits,region,plan,channel,device,converted\n");
        for (int i = 0; i < 1500; i++) {
            double age = Math.max(18, Math.min(80, 38 + 12 * r.nextGaussian()));
            double income = Math.exp(10.5 + 0.5 * r.nextGaussian());
            int visits = poisson(r, 3);
            int region = r.nextInt(regions.length);
            int plan = r.nextInt(plans.length);
            int channel = r.nextInt(channels.length);
            int device = r.nextInt(devices.length);
            double logit = -0.6 + planEffect[plan] + channelEffect[channel] + regionEffect[region]
                    + 0.8 * (Math.log(income) - 10.5) + 0.25 * (visits - 3) - 0.01 * (age - 38);
            boolean converted = r.nextDouble() < 1 / (1 + Math.exp(-logit));
            List<String> cells = new ArrayList<>(List.of(fixed(age, 0), fixed(income, 0), String.valueOf(visits),
                    regions[region], plans[plan], channels[channel], devices[device]));
            for (int c = 0; c < cells.size(); c++) {
                if (r.nextDouble() < 0.1) {
                    cells.set(c, missing[r.nextInt(missing.length)]);
                }
            }
            out.append(String.join(",", cells)).append(',').append(converted ? "yes" : "no").append('\n');
        }
    }

    private static int poisson(Random r, double mean) {
        double limit = Math.exp(-mean);
        double p = r.nextDouble();
        int k = 0;
        while (p > limit) {
            p *= r.nextDouble();
            k++;
        }
        return k;
    }

    private static String fixed(double v, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }
}
