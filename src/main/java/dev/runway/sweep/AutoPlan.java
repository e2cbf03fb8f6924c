package dev.runway.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runway.base.BadInputException;
import dev.runway.base.Json;
import dev.runway.dataset.ColumnProfile;
import dev.runway.dataset.CsvProfile;
import dev.runway.dataset.Preparation;
import dev.runway.training.engine.Hyperparameters;
import dev.runway.training.engine.Template;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What Auto does with a prepared dataset version, decided from its profile alone (no data is read): the model family
 * from the data's shape, and a small successive-halving search around that family's defaults. A plain function, so
 * the dialog's preview, the API and the sweep it starts always agree.
 *
 * @param base the family's defaults (with the image shape Auto read), which the trials start from
 * @param space the swept parameters, as a sweep request gives them
 */
public record AutoPlan(Choice choice, Hyperparameters base, JsonNode space, int trials, int parallel, int eta,
        int minEpochs) {

    /**
     * What Auto saw and chose, stored with the sweep and shown on its page.
     *
     * @param shape tabular, image or text
     * @param why the data's shape in words and why that family
     * @param search what the trials vary and how they are cut
     */
    public record Choice(String shape, String family, String why, String search) {

        public Template template() {
            return Template.valueOf(family);
        }
    }

    /**
     * The trials' draws are seeded, so Auto on the same data tries the same values. Chosen for spread: with a few
     * trials a seed may draw them all from one corner (42 drew six learning rates between 0.010 and 0.025 of the
     * range 0.001–0.03); with 11 each family's trials cover its learning rates and layer choices (AutoPlanTest).
     */
    static final long SEED = 11;
    /** Image columns are a numbered series (pixel_0 … pixel_63, px1 …): the number at the end of each name. */
    private static final Pattern NUMBERED = Pattern.compile("(.*?)(\\d+)");

    static AutoPlan of(Preparation preparation, CsvProfile profile) {
        if (preparation == null) {
            throw new BadInputException("dataset", "Save the dataset's preparation (target, features, task) before "
                    + "starting Auto");
        }
        List<ColumnProfile> features = new ArrayList<>();
        for (String name : preparation.features()) {
            profile.column(name).ifPresent(features::add);
        }
        String rows = String.format(Locale.ROOT, "%,d rows", profile.rows());
        if (preparation.task() == Preparation.TaskType.TEXT_CLASSIFICATION) {
            Choice choice = new Choice("text", Template.TRANSFORMER.name(), "The data is text (“"
                    + String.join("”, “", preparation.features()) + "”, " + rows + "): Auto trains a "
                    + Template.TRANSFORMER.label() + ", which reads word order.",
                    "learning rate 0.0005–0.005 (log), dropout 0–0.3" + halving(Template.TRANSFORMER, 2, 2));
            return new AutoPlan(choice, Hyperparameters.defaults(Template.TRANSFORMER), space("""
                    {"learningRate": {"min": 0.0005, "max": 0.005, "log": true}, "dropout": {"min": 0, "max": 0.3}}"""),
                    4, 2, 2, firstRung(Template.TRANSFORMER, 2));
        }
        Optional<int[]> image = preparation.task() == Preparation.TaskType.CLASSIFICATION
                ? imageShape(features) : Optional.empty();
        if (image.isPresent()) {
            int[] chw = image.get();
            Choice choice = new Choice("image", Template.CNN.name(), "The " + features.size()
                    + " features are a numbered series of non-negative numbers (" + features.get(0).name() + " … "
                    + features.get(features.size() - 1).name() + ", " + rows + "): Auto reads each row as a "
                    + chw[0] + " × " + chw[1] + " × " + chw[2] + " image and trains a " + Template.CNN.label() + ".",
                    "learning rate 0.001–0.01 (log), channels 16, 32 or 32, 64, dropout 0–0.3"
                            + halving(Template.CNN, 2, 3));
            Hyperparameters base = SweepSpace.apply(Hyperparameters.defaults(Template.CNN), Map.of("imageChannels",
                    chw[0], "imageHeight", chw[1], "imageWidth", chw[2]));
            return new AutoPlan(choice, base, space("""
                    {"learningRate": {"min": 0.001, "max": 0.01, "log": true},
                     "hiddenLayers": {"values": [[16, 32], [32, 64]]}, "dropout": {"min": 0, "max": 0.3}}"""),
                    4, 2, 2, firstRung(Template.CNN, 3));
        }
        long categorical = features.stream().filter(c -> !c.isNumeric()).count();
        String task = preparation.task() == Preparation.TaskType.REGRESSION ? "regression" : "classification";
        Choice choice = new Choice("tabular", Template.MLP.name(), "The data is a table (" + features.size()
                + " feature" + (features.size() == 1 ? "" : "s") + (categorical == 0 ? "" : ", " + categorical
                + " of them categorical") + ", " + rows + ", " + task + "): Auto trains a " + Template.MLP.label()
                + ", searching from one small layer to two.",
                "learning rate 0.001–0.03 (log), layer sizes 32 or 128 or 64, 32, dropout 0–0.3, weight decay "
                        + "0.00001–0.1 (log)" + halving(Template.MLP, 3, 3));
        // Weight decay searched too: the regularisation a table needs spans decades (a wide table of mostly noise
        // columns wants about 100× the default's), more than one default can cover (docs/benchmarks.md, peer).
        return new AutoPlan(choice, Hyperparameters.defaults(Template.MLP), space("""
                {"learningRate": {"min": 0.001, "max": 0.03, "log": true},
                 "hiddenLayers": {"values": [[32], [128], [64, 32]]}, "dropout": {"min": 0, "max": 0.3},
                 "weightDecay": {"min": 0.00001, "max": 0.1, "log": true}}"""),
                6, 2, 3, firstRung(Template.MLP, 3));
    }

    /**
     * Channels × height × width when the features look like pixels: at least 16 numeric, non-negative columns named
     * as one numbered series, whose count is a square (one channel) or three squares (RGB). A table of 16 unrelated
     * measurements is not read as an image: its names do not form a series.
     */
    static Optional<int[]> imageShape(List<ColumnProfile> features) {
        if (features.size() < 16) {
            return Optional.empty();
        }
        String prefix = null;
        for (ColumnProfile c : features) {
            Matcher m = NUMBERED.matcher(c.name());
            if (!c.isNumeric() || c.min() == null || c.min() < 0 || !m.matches()
                    || prefix != null && !prefix.equals(m.group(1))) {
                return Optional.empty();
            }
            prefix = m.group(1);
        }
        for (int channels : new int[] {1, 3}) {
            if (features.size() % channels == 0) {
                int side = (int) Math.round(Math.sqrt(features.size() / (double) channels));
                if (side >= 4 && side * side * channels == features.size()) {
                    return Optional.of(new int[] {channels, side, side});
                }
            }
        }
        return Optional.empty();
    }

    /** The first rung, below the family's epochs (ASHA needs one). */
    private static int firstRung(Template family, int wanted) {
        return Math.max(1, Math.min(wanted, Hyperparameters.defaults(family).epochs() - 1));
    }

    /** "; successive halving (ASHA, η 3): after epochs 3, 9, 27 and 81 of 100 only the best 1/3 of the trials go on". */
    private static String halving(Template family, int eta, int wanted) {
        int epochs = Hyperparameters.defaults(family).epochs();
        List<String> rungs = new ArrayList<>();
        for (long rung = firstRung(family, wanted); rung < epochs; rung *= eta) {
            rungs.add(Long.toString(rung));
        }
        String at = rungs.size() == 1 ? rungs.get(0) : String.join(", ", rungs.subList(0, rungs.size() - 1))
                + " and " + rungs.get(rungs.size() - 1);
        return "; successive halving (ASHA, η " + eta + "): after epoch" + (rungs.size() == 1 ? " " : "s ") + at
                + " of " + epochs + " only the best 1/" + eta + " of the trials go on";
    }

    private static JsonNode space(String json) {
        return Json.tree(json);
    }
}
