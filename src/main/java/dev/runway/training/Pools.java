package dev.runway.training;

import dev.runway.base.BadInputException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Worker pools (docs/deploy.md, "Worker pools and GPU routing"). A run's execution is the db-scheduler task
 * {@code run:<pool>}, and a node registers the run tasks of exactly the pools it serves, so no node ever claims a run
 * of a pool it does not serve: routing is db-scheduler's own claim, by task name.
 */
public final class Pools {

    public static final String CPU = "cpu";
    public static final String GPU = "gpu";
    static final String TASK_PREFIX = "run:";
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,39}");

    /** A node's own pool and the pools whose runs it claims (its own first). */
    public record Node(String pool, List<String> serves) {}

    private Pools() {}

    /** The db-scheduler task that executes the runs of {@code pool}. */
    public static String taskName(String pool) {
        return TASK_PREFIX + pool;
    }

    /** The pool of a run task's name, or empty for another task. */
    public static Optional<String> poolOfTask(String taskName) {
        return taskName.startsWith(TASK_PREFIX) ? Optional.of(taskName.substring(TASK_PREFIX.length()))
                : Optional.empty();
    }

    /**
     * The pool a run states: the one asked for, else {@code gpu} when it asks for device {@code gpu}, else {@code cpu}.
     * Only the pools of {@code runway.executor.pools} ({@code allowed}) may be asked for: a run in a pool no node
     * serves would wait forever, and each pool name adds a gauge on every node. A GPU run sent to the {@code cpu} pool would
     * wait for a GPU that pool's nodes do not have: refused.
     */
    static String ofRun(String requestedPool, String device, List<String> allowed) {
        if (requestedPool == null || requestedPool.isBlank()) {
            return GPU.equals(device) ? GPU : CPU;
        }
        String pool = requestedPool.strip().toLowerCase(Locale.ROOT);
        if (!NAME.matcher(pool).matches()) {
            throw new BadInputException("pool", "A pool is 1 to 40 lower-case letters, digits and dashes, starting "
                    + "with a letter or digit (e.g. cpu, gpu, gpu-a100)");
        }
        if (!allowed.contains(pool)) {
            throw new BadInputException("pool", "There is no pool “" + pool + "”: choose one of "
                    + String.join(", ", allowed) + ", or leave it empty");
        }
        if (CPU.equals(pool) && GPU.equals(device)) {
            throw new BadInputException("pool", "The cpu pool has no GPUs: leave the pool empty or choose a GPU pool "
                    + "for a run on a GPU");
        }
        return pool;
    }

    /**
     * The node's pools from its settings ({@code runway.executor.pool}, {@code runway.executor.cpu-runs}) and the GPUs
     * it has. An executing node set to the {@code gpu} pool without a GPU refuses to start: it would claim GPU runs it
     * cannot train, or (claiming nothing) leave them waiting while looking healthy. A node that executes nothing
     * ({@code runway.executor.enabled=false}) claims nothing, so its pool is only a label.
     */
    public static Node ofNode(Optional<String> configuredPool, boolean cpuRuns, int gpus, boolean executes) {
        String pool = configuredPool.map(p -> p.strip().toLowerCase(Locale.ROOT)).filter(p -> !p.isEmpty())
                .orElse(gpus > 0 ? GPU : CPU);
        if (!NAME.matcher(pool).matches()) {
            throw new IllegalStateException("runway.executor.pool=" + pool + " is not a pool name: 1 to 40 lower-case "
                    + "letters, digits and dashes, starting with a letter or digit");
        }
        if (GPU.equals(pool) && gpus == 0 && executes) {
            throw new IllegalStateException("runway.executor.pool=gpu, but PyTorch sees no GPU on this node: install "
                    + "the CUDA libtorch (docs/deploy.md, \"Worker pools and GPU routing\") or set another pool");
        }
        Set<String> serves = new LinkedHashSet<>();
        serves.add(pool);
        if (cpuRuns) {
            serves.add(CPU);
        }
        return new Node(pool, List.copyOf(serves));
    }
}
