package dev.runway.training.engine;

import dev.runway.base.BadInputException;
import dev.runway.training.engine.Encoding.Feature;
import dev.runway.training.engine.Encoding.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Data augmentation of the training split, drawn afresh each epoch from (seed, epoch) so that a resumed run, even one
 * resumed mid-epoch, sees exactly the batches of a run that never stopped. Validation and test rows are never touched.
 * Off when null or when every setting is 0/false.
 *
 * @param shift images: each image moves by a whole number of pixels drawn from [−shift, shift] on both axes (0–4)
 * @param rotation images: each image turns by an angle drawn from [−rotation, rotation] degrees (0–30)
 * @param noise images and tabular data: Gaussian noise with this share of each column's training standard deviation
 *     on numeric columns (standardised features: σ = noise); 0–1
 * @param oversample classification: rows of the rarer classes are drawn again (with replacement) until every class has
 *     as many training rows as the largest one
 * @param tokenDropout text: each token is left out with this probability (0–0.5; a text keeps at least one token)
 * @param tokenSwap Transformer text: each pair of neighbouring tokens changes places with this probability (0–0.5)
 */
public record Augmentation(int shift, double rotation, double noise, boolean oversample, double tokenDropout,
        double tokenSwap) {

    public static final int MAX_SHIFT = 4;
    public static final double MAX_ROTATION = 30;
    public static final double MAX_NOISE = 1;
    public static final double MAX_TOKEN_CHANGE = 0.5;

    public static Augmentation none() {
        return new Augmentation(0, 0, 0, false, 0, 0);
    }

    public boolean on() {
        return shift > 0 || rotation > 0 || noise > 0 || oversample || tokenDropout > 0 || tokenSwap > 0;
    }

    boolean image() {
        return shift > 0 || rotation > 0;
    }

    /**
     * Refuses values outside the ranges and settings that do not fit the task or template, with a message at the
     * field. {@code inputs} is the number of feature values per row when known (the prepared data's width, or the
     * feature columns at submission), else 0.
     */
    public static void check(Hyperparameters h, Task task, int inputs) {
        Augmentation a = h.augmentation();
        if (a == null) {
            return;
        }
        if (a.shift() < 0 || a.shift() > MAX_SHIFT) {
            throw new BadInputException("augmentation.shift", "The shift must be 0 to " + MAX_SHIFT + " pixels, "
                    + "e.g. 1 (it is " + a.shift() + ")");
        }
        range("augmentation.rotation", "The rotation", a.rotation(), "30 degrees, e.g. 10", MAX_ROTATION);
        range("augmentation.noise", "The noise", a.noise(), "1 standard deviation, e.g. 0.1", MAX_NOISE);
        range("augmentation.tokenDropout", "Token dropout", a.tokenDropout(), "0.5 (a probability), e.g. 0.1",
                MAX_TOKEN_CHANGE);
        range("augmentation.tokenSwap", "The token swap rate", a.tokenSwap(), "0.5 (a probability), e.g. 0.1",
                MAX_TOKEN_CHANGE);
        boolean text = task == Task.TEXT_CLASSIFICATION;
        if (a.image()) {
            String field = a.shift() > 0 ? "augmentation.shift" : "augmentation.rotation";
            if (text) {
                throw new BadInputException(field, "Shifts and rotations are for images: text takes token dropout "
                        + "and swaps");
            }
            if (h.imageChannels() < 1 || h.imageHeight() < 1 || h.imageWidth() < 1) {
                throw new BadInputException(field, "Shifts and rotations need the image shape (channels × height × "
                        + "width, digits: 1 × 8 × 8): use the CNN template or give the shape");
            }
            if (inputs > 0 && (long) h.imageChannels() * h.imageHeight() * h.imageWidth() != inputs) {
                throw new BadInputException(field, "Shifts and rotations need an image shape that covers the "
                        + inputs + " feature values per row (it covers " + (long) h.imageChannels()
                        * h.imageHeight() * h.imageWidth() + ")");
            }
            if (a.shift() * 2 >= Math.min(h.imageHeight(), h.imageWidth())) {
                throw new BadInputException("augmentation.shift", "A shift of " + a.shift() + " pixels moves a "
                        + h.imageHeight() + " × " + h.imageWidth() + " image out of sight: use at most "
                        + Math.max(0, (Math.min(h.imageHeight(), h.imageWidth()) - 1) / 2));
            }
        }
        if (a.noise() > 0 && text) {
            throw new BadInputException("augmentation.noise", "Noise is for numbers and images: text takes token "
                    + "dropout and swaps");
        }
        if (a.oversample() && task == Task.REGRESSION) {
            throw new BadInputException("augmentation.oversample", "Oversampling balances classes: a regression "
                    + "target has none");
        }
        if ((a.tokenDropout() > 0 || a.tokenSwap() > 0) && !text) {
            throw new BadInputException(a.tokenDropout() > 0 ? "augmentation.tokenDropout"
                    : "augmentation.tokenSwap", "Token dropout and swaps are for text classification");
        }
        if (a.tokenSwap() > 0 && h.template() != Template.TRANSFORMER) {
            throw new BadInputException("augmentation.tokenSwap", "Token swaps change the word order, which only "
                    + "the Transformer reads (the MLP reads a bag of words): use token dropout");
        }
    }

    private static void range(String field, String name, double value, String upTo, double max) {
        if (!(value >= 0 && value <= max)) {
            throw new BadInputException(field, name + " must be from 0 to " + upTo + " (it is " + value + ")");
        }
    }

    /** One line for the run's log: what the training split gets each epoch. */
    public String describe() {
        if (!on()) {
            return "none";
        }
        List<String> parts = new ArrayList<>();
        if (shift > 0) {
            parts.add("shifts ±" + shift + " px");
        }
        if (rotation > 0) {
            parts.add("rotations ±" + number(rotation) + "°");
        }
        if (noise > 0) {
            parts.add("Gaussian noise σ " + number(noise));
        }
        if (oversample) {
            parts.add("oversampling of rare classes");
        }
        if (tokenDropout > 0) {
            parts.add("token dropout " + number(tokenDropout));
        }
        if (tokenSwap > 0) {
            parts.add("token swaps " + number(tokenSwap));
        }
        return String.join(", ", parts);
    }

    private static String number(double value) {
        return new java.math.BigDecimal(String.format(Locale.ROOT, "%.4g", value)).stripTrailingZeros()
                .toPlainString();
    }

    /** Values (floats, or row indices) one oversampled epoch may hold: 256 Mi, 1 GiB of floats. */
    static final long MAX_EPOCH_VALUES = 1L << 28;

    /**
     * One epoch's training rows: row r of the epoch is row {@code source[r]} of {@code inputs}, or row r itself when
     * {@code source} is null.
     */
    record Epoch(ModelInputs inputs, int[] source) {

        int rows() {
            return source == null ? inputs.rows() : source.length;
        }

        /** The epoch's rows in the order seeded by (seed, epoch), as rows of {@code inputs}: what batches read. */
        int[] order(long seed, int epoch) {
            int[] order = TrainingEngine.shuffled(rows(), seed, epoch);
            if (source != null) {
                for (int i = 0; i < order.length; i++) {
                    order[i] = source[order[i]];
                }
            }
            return order;
        }
    }

    /** The training inputs of each epoch: {@link #epoch(int)} draws them; every epoch has {@link #rows()} rows. */
    static final class Epochs {

        private final Augmentation a;
        private final Hyperparameters h;
        private final ModelInputs train;
        private final Encoding encoding;
        private final int[] classSizes;
        private final int rows;
        /** Per column: the training standard deviation of the values as the model reads them (noise scale). */
        private final float[] spread;
        /** Per column: the standardisation, to move images into pixel units and back. */
        private final float[] mean;
        private final float[] std;
        /** Per column: the lowest and highest training value (as the model reads it), the bounds of a moved pixel. */
        private final float[] low;
        private final float[] high;

        Epochs(Hyperparameters h, Encoding encoding, ModelInputs train) {
            this(h, encoding, train, MAX_EPOCH_VALUES);
        }

        /** {@code limit}: the most values (floats, or row indices when no row is copied) one epoch may hold. */
        Epochs(Hyperparameters h, Encoding encoding, ModelInputs train, long limit) {
            this.a = h.augmentation() == null ? none() : h.augmentation();
            this.h = h;
            this.train = train;
            this.encoding = encoding;
            this.classSizes = a.oversample() ? classSizes(train, encoding.labels().size()) : new int[0];
            this.rows = a.oversample() ? oversampledRows(limit) : train.rows();
            boolean columns = !encoding.isText() && (a.noise() > 0 || a.image());
            this.spread = columns ? spread(train) : new float[0];
            this.mean = columns ? standardisation(encoding, train.rowSize(), true) : new float[0];
            this.std = columns ? standardisation(encoding, train.rowSize(), false) : new float[0];
            this.low = columns ? bound(train, true) : new float[0];
            this.high = columns ? bound(train, false) : new float[0];
        }

        /**
         * The largest class's count times the classes present, in long arithmetic. Refused above {@code limit}: an
         * epoch that copies its rows (another setting changes each row) holds rows × row size floats, one that does
         * not still holds two ints per row (its rows and their shuffled order); either is allocated afresh each epoch
         * on a heap that other runs share, so a skewed 100,000-row text set of 20 classes with a 2,000-word bag of
         * words would otherwise ask for 8 GB per epoch.
         */
        private int oversampledRows(long limit) {
            long largest = 0;
            long classes = 0;
            for (int size : classSizes) {
                largest = Math.max(largest, size);
                classes += size > 0 ? 1 : 0;
            }
            long result = largest * classes;
            boolean copied = transformsRows();
            long values = copied ? result * train.rowSize() : result * 2;
            if (values > limit) {
                throw new BadInputException("augmentation.oversample", String.format(Locale.ROOT, "Oversampling "
                        + "would make each epoch %,d rows (%d classes × %,d rows of the largest)%s, more than the "
                        + "%,d values an epoch may hold in memory%s: train without oversampling, with fewer training "
                        + "rows%s, or balance the classes in the dataset", result, classes, largest,
                        copied ? String.format(Locale.ROOT, " of %,d values each", train.rowSize()) : "", limit,
                        copied ? "" : " (two per row: its index and its place in the order)", copied ? " or features, or without the other augmentation settings" : ""));
            }
            return Math.toIntExact(result);
        }

        /** Whether a setting changes each row, so that an epoch's rows are copies rather than indices. */
        private boolean transformsRows() {
            return a.image() || a.noise() > 0 || a.tokenDropout() > 0 || a.tokenSwap() > 0;
        }

        int rows() {
            return rows;
        }

        /**
         * The rows of {@code epoch}. Oversampling alone copies nothing: the epoch is the training split read through
         * an index of its rows; a setting that changes rows copies the (oversampled) rows and changes the copies.
         */
        Epoch epoch(int epoch) {
            if (!a.on()) {
                return new Epoch(train, null);
            }
            // Its own stream, apart from the batch order's, and the same for the same (seed, epoch) on any node.
            Random random = new Random((h.seed() * 31 + epoch) * 0x9E3779B97F4A7C15L + 0x5DEECE66DL);
            int[] source = a.oversample() ? oversampled(random) : ModelInputs.identity(train.rows());
            if (!transformsRows()) {
                return new Epoch(train, source);
            }
            int size = train.rowSize();
            // Bounded by the constructor (oversampling) or the size of the training split itself.
            float[] x = new float[Math.multiplyExact(source.length, size)];
            float[] y = new float[source.length];
            for (int r = 0; r < source.length; r++) {
                System.arraycopy(train.x(), source[r] * size, x, r * size, size);
                y[r] = train.y()[source[r]];
            }
            for (int r = 0; r < source.length; r++) {
                if (train.ids()) {
                    tokens(x, r * size, size, random);
                } else if (encoding.isText()) {
                    bagOfWords(x, r * size, size, random);
                } else {
                    if (a.image()) {
                        image(x, r * size, random);
                    }
                    if (a.noise() > 0) {
                        for (int c = 0; c < size; c++) {
                            if (spread[c] > 0) {
                                x[r * size + c] += (float) (random.nextGaussian() * a.noise() * spread[c]);
                            }
                        }
                    }
                }
            }
            return new Epoch(new ModelInputs(source.length, x, train.rowShape(), train.ids(), y), null);
        }

        /** All rows once, then rows of each rarer class drawn at random up to the largest class's count. */
        private int[] oversampled(Random random) {
            List<List<Integer>> byClass = new ArrayList<>();
            for (int c = 0; c < classSizes.length; c++) {
                byClass.add(new ArrayList<>());
            }
            for (int r = 0; r < train.rows(); r++) {
                byClass.get((int) train.y()[r]).add(r);
            }
            int[] result = new int[rows];
            int n = 0;
            for (int r = 0; r < train.rows(); r++) {
                result[n++] = r;
            }
            int largest = rows / Math.max(1, (int) byClass.stream().filter(l -> !l.isEmpty()).count());
            for (List<Integer> members : byClass) {
                for (int k = members.size(); k > 0 && k < largest; k++) {
                    result[n++] = members.get(random.nextInt(members.size()));
                }
            }
            return result;
        }

        /**
         * Shift and rotation in pixel units (the standardisation undone, so that empty background is 0), bilinear,
         * then standardised again. Pixels that come from outside the image are background.
         */
        private void image(float[] x, int offset, Random random) {
            int channels = h.imageChannels();
            int height = h.imageHeight();
            int width = h.imageWidth();
            int dx = a.shift() > 0 ? random.nextInt(2 * a.shift() + 1) - a.shift() : 0;
            int dy = a.shift() > 0 ? random.nextInt(2 * a.shift() + 1) - a.shift() : 0;
            double angle = a.rotation() > 0 ? Math.toRadians((random.nextDouble() * 2 - 1) * a.rotation()) : 0;
            double cos = Math.cos(angle);
            double sin = Math.sin(angle);
            double cy = (height - 1) / 2.0;
            double cx = (width - 1) / 2.0;
            int plane = height * width;
            float[] pixels = new float[channels * plane];
            for (int i = 0; i < pixels.length; i++) {
                pixels[i] = x[offset + i] * std[i] + mean[i];
            }
            for (int ch = 0; ch < channels; ch++) {
                for (int i = 0; i < height; i++) {
                    for (int j = 0; j < width; j++) {
                        // Where this output pixel comes from: undo the shift, then the rotation about the centre.
                        double u = i - dy - cy;
                        double v = j - dx - cx;
                        double si = cos * u + sin * v + cy;
                        double sj = -sin * u + cos * v + cx;
                        int index = ch * plane + i * width + j;
                        float value = bilinear(pixels, ch * plane, height, width, si, sj);
                        // Kept within what the column holds in training: a pixel that is almost always blank has
                        // a tiny standard deviation, and ink moved onto it would otherwise become a huge value.
                        x[offset + index] = Math.max(low[index], Math.min(high[index],
                                (value - mean[index]) / std[index]));
                    }
                }
            }
        }

        private static float bilinear(float[] pixels, int offset, int height, int width, double i, double j) {
            int i0 = (int) Math.floor(i);
            int j0 = (int) Math.floor(j);
            double fi = i - i0;
            double fj = j - j0;
            return (float) ((1 - fi) * (1 - fj) * pixel(pixels, offset, height, width, i0, j0)
                    + (1 - fi) * fj * pixel(pixels, offset, height, width, i0, j0 + 1)
                    + fi * (1 - fj) * pixel(pixels, offset, height, width, i0 + 1, j0)
                    + fi * fj * pixel(pixels, offset, height, width, i0 + 1, j0 + 1));
        }

        private static float pixel(float[] pixels, int offset, int height, int width, int i, int j) {
            return i < 0 || j < 0 || i >= height || j >= width ? 0 : pixels[offset + i * width + j];
        }

        /** Token ids (Transformer): drop tokens, then swap neighbours; the text is packed to the left again. */
        private void tokens(float[] x, int offset, int size, Random random) {
            int length = 0;
            while (length < size && x[offset + length] != ModelInputs.PAD) {
                length++;
            }
            float[] kept = new float[length];
            int n = 0;
            for (int j = 0; j < length; j++) {
                if (random.nextDouble() >= a.tokenDropout()) {
                    kept[n++] = x[offset + j];
                }
            }
            if (n == 0 && length > 0) {
                kept[n++] = x[offset + random.nextInt(length)];
            }
            for (int j = 0; j + 1 < n; j++) {
                if (a.tokenSwap() > 0 && random.nextDouble() < a.tokenSwap()) {
                    float t = kept[j];
                    kept[j] = kept[j + 1];
                    kept[j + 1] = t;
                    j++;
                }
            }
            for (int j = 0; j < size; j++) {
                x[offset + j] = j < n ? kept[j] : ModelInputs.PAD;
            }
        }

        /** Bag of words (text MLP): each present word is left out with the dropout probability; one stays. */
        private void bagOfWords(float[] x, int offset, int size, Random random) {
            int present = 0;
            int last = -1;
            for (int j = 0; j < size; j++) {
                if (x[offset + j] != 0) {
                    present++;
                    last = j;
                    if (random.nextDouble() < a.tokenDropout()) {
                        x[offset + j] = 0;
                        present--;
                    }
                }
            }
            if (present == 0 && last >= 0) {
                x[offset + last] = 1;
            }
        }

        private static int[] classSizes(ModelInputs train, int classes) {
            int[] sizes = new int[classes];
            for (int r = 0; r < train.rows(); r++) {
                sizes[(int) train.y()[r]]++;
            }
            return sizes;
        }

        private static float[] bound(ModelInputs train, boolean lowest) {
            int size = train.rowSize();
            float[] result = new float[size];
            java.util.Arrays.fill(result, lowest ? Float.POSITIVE_INFINITY : Float.NEGATIVE_INFINITY);
            for (int r = 0; r < train.rows(); r++) {
                for (int c = 0; c < size; c++) {
                    float v = train.x()[r * size + c];
                    result[c] = lowest ? Math.min(result[c], v) : Math.max(result[c], v);
                }
            }
            return result;
        }

        private static float[] spread(ModelInputs train) {
            int size = train.rowSize();
            double[] sum = new double[size];
            double[] squares = new double[size];
            for (int r = 0; r < train.rows(); r++) {
                for (int c = 0; c < size; c++) {
                    double v = train.x()[r * size + c];
                    sum[c] += v;
                    squares[c] += v * v;
                }
            }
            float[] result = new float[size];
            for (int c = 0; c < size; c++) {
                double m = sum[c] / Math.max(1, train.rows());
                result[c] = (float) Math.sqrt(Math.max(0, squares[c] / Math.max(1, train.rows()) - m * m));
            }
            return result;
        }

        /**
         * Per column the standardisation's mean (or std); one-hot columns get 0 (or 1). Noise applies to numeric
         * columns only: a one-hot column's spread is set to 0 here so that categories stay categories.
         */
        private float[] standardisation(Encoding encoding, int size, boolean means) {
            float[] result = new float[size];
            int column = 0;
            for (Feature f : encoding.features()) {
                for (int k = 0; k < f.width() && column < size; k++, column++) {
                    boolean numeric = f.kind() == Kind.NUMERIC;
                    result[column] = (float) (numeric ? (means ? f.mean() : (f.std() == 0 ? 1 : f.std()))
                            : (means ? 0 : 1));
                    if (!numeric && spread.length > column) {
                        spread[column] = 0;
                    }
                }
            }
            return result;
        }
    }
}
