package dev.runway.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runway.base.BadInputException;
import dev.runway.base.Json;
import dev.runway.training.engine.Activation;
import dev.runway.training.engine.Hyperparameters;
import dev.runway.training.engine.OptimizerKind;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * The hyperparameters a sweep varies and how: each one a range ({@code min}, {@code max}, {@code log}; a grid takes
 * {@code steps} points of it, 3 unless given) or a list of {@code values}. Makes the trials' parameter sets: the
 * grid's combinations in order, or seeded random draws (log-uniform on a log range), so a sweep's trials are the same
 * on every node and after a restart.
 */
public final class SweepSpace {

    public enum Method { GRID, RANDOM, ASHA }

    /** The parameters a sweep may vary, in the order the grid nests them. */
    public static final List<String> PARAMETERS = List.of("learningRate", "batchSize", "epochs", "hiddenLayers",
            "activation", "dropout", "optimizer", "weightDecay");
    private static final Set<String> RANGES = Set.of("learningRate", "batchSize", "epochs", "dropout", "weightDecay");
    private static final Set<String> INTEGERS = Set.of("batchSize", "epochs");
    static final int MAX_STEPS = 20;
    static final int MAX_EPOCHS = 1000;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** One parameter's choices: a range (log or linear) or a list of values. */
    record Dimension(String name, Double min, Double max, boolean log, int steps, List<Object> values) {

        boolean isRange() {
            return values == null;
        }

        Object draw(Random random) {
            if (!isRange()) {
                return values.get(random.nextInt(values.size()));
            }
            double u = random.nextDouble();
            double x = log ? Math.exp(Math.log(min) + u * (Math.log(max) - Math.log(min))) : min + u * (max - min);
            return typed(x);
        }

        List<Object> points() {
            if (!isRange()) {
                return values;
            }
            Set<Object> points = new LinkedHashSet<>();
            for (int i = 0; i < steps; i++) {
                double f = steps == 1 ? 0 : i / (double) (steps - 1);
                double x = log ? Math.exp(Math.log(min) + f * (Math.log(max) - Math.log(min))) : min + f * (max - min);
                points.add(typed(x));
            }
            return List.copyOf(points);
        }

        private Object typed(double x) {
            if (INTEGERS.contains(name)) {
                return (int) Math.round(x);
            }
            // Six significant digits: the trials table and the API show the value the run got.
            return Double.parseDouble(String.format(Locale.ROOT, "%.6g", x));
        }
    }

    private final List<Dimension> dimensions;

    private SweepSpace(List<Dimension> dimensions) {
        this.dimensions = dimensions;
    }

    public List<String> names() {
        return dimensions.stream().map(Dimension::name).toList();
    }

    /** Reads and checks the request's {@code parameters}; every message names the parameter that is wrong. */
    public static SweepSpace parse(JsonNode parameters) {
        if (parameters == null || !parameters.isObject() || parameters.isEmpty()) {
            throw new BadInputException("parameters", "Choose at least one hyperparameter to sweep, e.g. "
                    + "{\"learningRate\": {\"min\": 0.0001, \"max\": 0.1, \"log\": true}}");
        }
        List<Dimension> dimensions = new ArrayList<>();
        for (String name : PARAMETERS) {
            JsonNode spec = parameters.get(name);
            if (spec != null) {
                dimensions.add(dimension(name, spec));
            }
        }
        for (Iterator<String> it = parameters.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!PARAMETERS.contains(name)) {
                throw new BadInputException("parameters." + name, "“" + name + "” cannot be swept; choose from "
                        + String.join(", ", PARAMETERS));
            }
        }
        return new SweepSpace(dimensions);
    }

    private static Dimension dimension(String name, JsonNode spec) {
        String field = "parameters." + name;
        if (!spec.isObject()) {
            throw new BadInputException(field, "Give {\"min\", \"max\"} or {\"values\": [...]}");
        }
        if (spec.has("values")) {
            JsonNode values = spec.get("values");
            if (!values.isArray() || values.isEmpty()) {
                throw new BadInputException(field, "“values” is a non-empty list");
            }
            // A sweep has at most MAX_TRIALS trials, so a longer list could never be used whole: refused before it
            // is read.
            if (values.size() > SweepService.MAX_TRIALS) {
                throw new BadInputException(field, "“values” has at most " + SweepService.MAX_TRIALS + " entries (a "
                        + "sweep has at most " + SweepService.MAX_TRIALS + " trials)");
            }
            Set<Object> set = new LinkedHashSet<>();
            for (JsonNode v : values) {
                set.add(value(name, v, field));
            }
            return new Dimension(name, null, null, false, set.size(), List.copyOf(set));
        }
        if (!RANGES.contains(name)) {
            throw new BadInputException(field, name + " takes a list of values, e.g. {\"values\": "
                    + example(name) + "}");
        }
        if (!spec.path("min").isNumber() || !spec.path("max").isNumber()) {
            throw new BadInputException(field, "Give numbers “min” and “max”, or a list of “values”");
        }
        double min = spec.get("min").asDouble();
        double max = spec.get("max").asDouble();
        boolean log = spec.path("log").asBoolean(false);
        int steps = spec.path("steps").asInt(3);
        check(name, min, field);
        check(name, max, field);
        if (min > max) {
            throw new BadInputException(field, "“min” (" + num(min) + ") is above “max” (" + num(max) + ")");
        }
        if (log && min <= 0) {
            throw new BadInputException(field, "A log scale needs “min” above 0");
        }
        if (steps < 1 || steps > MAX_STEPS) {
            throw new BadInputException(field, "“steps” (grid points of the range) is from 1 to " + MAX_STEPS);
        }
        return new Dimension(name, min, max, log, steps, null);
    }

    private static Object value(String name, JsonNode v, String field) {
        switch (name) {
            case "learningRate", "dropout", "batchSize", "epochs", "weightDecay" -> {
                if (!v.isNumber()) {
                    throw new BadInputException(field, name + " values are numbers");
                }
                check(name, v.asDouble(), field);
                if (INTEGERS.contains(name)) {
                    if (v.asDouble() != Math.rint(v.asDouble())) {
                        throw new BadInputException(field, name + " values are whole numbers");
                    }
                    return v.asInt();
                }
                return v.asDouble();
            }
            case "hiddenLayers" -> {
                if (!v.isArray() || v.isEmpty()) {
                    throw new BadInputException(field, "Each value is a list of layer sizes, e.g. [64, 32]");
                }
                List<Integer> layers = new ArrayList<>();
                for (JsonNode n : v) {
                    if (!n.isIntegralNumber() || n.asInt() < 1 || n.asInt() > Hyperparameters.MAX_LAYER) {
                        throw new BadInputException(field, "Layer sizes are whole numbers from 1 to " + Hyperparameters.MAX_LAYER);
                    }
                    layers.add(n.asInt());
                }
                return List.copyOf(layers);
            }
            case "activation" -> {
                return enumValue(Activation.class, v, field).name();
            }
            case "optimizer" -> {
                return enumValue(OptimizerKind.class, v, field).name();
            }
            default -> throw new IllegalStateException(name);
        }
    }

    private static <E extends Enum<E>> E enumValue(Class<E> type, JsonNode v, String field) {
        try {
            return Enum.valueOf(type, v.asText().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            List<String> names = java.util.Arrays.stream(type.getEnumConstants())
                    .map(c -> c.name().toLowerCase(Locale.ROOT)).toList();
            throw new BadInputException(field, "“" + v.asText() + "” is not one of " + String.join(", ", names));
        }
    }

    private static void check(String name, double x, String field) {
        boolean ok = switch (name) {
            case "learningRate" -> x > 0 && x <= Hyperparameters.MAX_LEARNING_RATE;
            case "dropout" -> x >= 0 && x < 1;
            case "batchSize" -> x >= 1 && x <= Hyperparameters.MAX_BATCH;
            case "epochs" -> x >= 1 && x <= MAX_EPOCHS;
            case "weightDecay" -> x >= 0 && x <= Hyperparameters.MAX_WEIGHT_DECAY;
            default -> true;
        };
        if (!ok) {
            throw new BadInputException(field, switch (name) {
                case "learningRate" -> "Learning rates are above 0 and at most " + (int) Hyperparameters.MAX_LEARNING_RATE;
                case "dropout" -> "Dropout is a share from 0 up to (not including) 1";
                case "batchSize" -> "Batch sizes are from 1 to " + Hyperparameters.MAX_BATCH;
                case "weightDecay" -> "Weight decay is from 0 (off) to " + (int) Hyperparameters.MAX_WEIGHT_DECAY
                        + ", e.g. 0.0001";
                default -> "Epochs are from 1 to " + MAX_EPOCHS + " in a sweep";
            });
        }
    }

    private static String example(String name) {
        return switch (name) {
            case "hiddenLayers" -> "[[64], [128, 64]]";
            case "activation" -> "[\"relu\", \"tanh\"]";
            default -> "[\"adam\", \"sgd\"]";
        };
    }

    private static String num(double x) {
        return java.math.BigDecimal.valueOf(x).stripTrailingZeros().toPlainString();
    }

    /** How many combinations a grid over this space has; Long.MAX_VALUE when that does not fit in a long. */
    public long gridSize() {
        long size = 1;
        for (Dimension d : dimensions) {
            try {
                size = Math.multiplyExact(size, d.points().size());
            } catch (ArithmeticException e) {
                return Long.MAX_VALUE;
            }
        }
        return size;
    }

    /**
     * The trials' parameter sets: for a grid every combination (the first parameter varying slowest), which must not
     * be more than {@code trials}; otherwise {@code trials} seeded draws.
     */
    public List<Map<String, Object>> trials(Method method, int trials, long seed) {
        List<Map<String, Object>> sets = new ArrayList<>();
        if (method == Method.GRID) {
            long size = gridSize();
            if (size > trials) {
                // Counted, never enumerated: a grid larger than the trials asked for is refused before it is made.
                throw new BadInputException("trials", "The grid has " + (size == Long.MAX_VALUE ? "too many"
                        : String.valueOf(size)) + " combinations, more than the " + trials + " trials asked for: "
                        + (size <= SweepService.MAX_TRIALS ? "raise “trials” to " + size + " or " : "")
                        + "give fewer values or steps");
            }
            sets.add(new LinkedHashMap<>());
            for (Dimension d : dimensions) {
                List<Map<String, Object>> next = new ArrayList<>();
                for (Map<String, Object> partial : sets) {
                    for (Object p : d.points()) {
                        Map<String, Object> set = new LinkedHashMap<>(partial);
                        set.put(d.name(), p);
                        next.add(set);
                    }
                }
                sets = next;
            }
            return sets;
        }
        Random random = new Random(seed);
        for (int i = 0; i < trials; i++) {
            Map<String, Object> set = new LinkedHashMap<>();
            for (Dimension d : dimensions) {
                set.put(d.name(), d.draw(random));
            }
            sets.add(set);
        }
        return sets;
    }

    /** The template's hyperparameters with a trial's values in place of the swept ones. */
    public static Hyperparameters apply(Hyperparameters base, Map<String, Object> values) {
        ObjectNode node = (ObjectNode) Json.tree(Json.write(base));
        for (Map.Entry<String, Object> e : values.entrySet()) {
            node.set(e.getKey(), MAPPER.valueToTree(e.getValue()));
        }
        return Json.read(node.toString(), Hyperparameters.class);
    }

    /** Whether a space varies {@code name}. */
    public boolean varies(String name) {
        return names().contains(name);
    }
}
