package dev.runway.training.engine;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import dev.runway.training.engine.ModelFiles.Checkpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The checkpoint step of a training: where a run's checkpoints and best model lie under its work folder, writing them
 * and resuming from one.
 *
 * <pre>
 * workDir/checkpoints/epoch-N/               an epoch's checkpoint: parameters, checkpoint.json, best/ when not its own
 * workDir/checkpoints/epoch-N-batch-B/       a hand-over's checkpoint, B batches into epoch N
 * workDir/best/                              the best parameters so far
 * </pre>
 */
final class Checkpoints {

    private final Path workDir;
    private final Path bestDir;

    Checkpoints(Path workDir) {
        this.workDir = workDir;
        this.bestDir = workDir.resolve("best");
    }

    Path ofEpoch(int epoch) {
        return workDir.resolve("checkpoints").resolve("epoch-" + epoch);
    }

    Path ofBatch(int epoch, int batch) {
        return workDir.resolve("checkpoints").resolve("epoch-" + epoch + "-batch-" + batch);
    }

    /**
     * Loads the parameters of checkpoint {@code dir} into {@code model}, puts its best model in place and says where
     * training goes on.
     */
    Checkpoint resume(Model model, Path dir, TrainingListener listener) throws IOException, MalformedModelException {
        Checkpoint state = ModelFiles.readCheckpoint(dir);
        model.load(dir, ModelFiles.PREFIX);
        if (Files.isDirectory(dir.resolve("best"))) {
            ModelFiles.copyFiles(dir.resolve("best"), bestDir);
        } else if (state.batches() == 0) {
            // An epoch's checkpoint without a best/ folder is itself the best model (a mid-epoch one never is).
            ModelFiles.copyFiles(dir, bestDir);
            Files.deleteIfExists(bestDir.resolve(ModelFiles.CHECKPOINT));
        }
        String where = state.batches() == 0 ? "the checkpoint of epoch " + state.epoch() + " (best epoch "
                + state.bestEpoch() + "); continuing with epoch " + (state.epoch() + 1)
                : "the checkpoint at batch " + state.batches() + " of epoch " + (state.epoch() + 1)
                        + " (a hand-over); continuing with batch " + (state.batches() + 1);
        listener.log("Resumed from " + where + ". The optimizer's own state (Adam/RMSprop moments) restarts; its "
                + "update count continues at " + state.optimizerSteps());
        return state;
    }

    /**
     * The end of an epoch: its checkpoint, and the best model when this epoch is the best so far. The parameters are
     * serialised once per epoch: the best model and a checkpoint's best/ are links to (or, where the file system has
     * none, copies of) the best epoch's parameter file, which is never written again; a checkpoint that is the best is
     * its own best (no best/ inside it).
     */
    Path saveEpoch(Model model, Checkpoint state) throws IOException {
        Path dir = ofEpoch(state.epoch());
        save(model, dir, state);
        if (state.bestEpoch() == state.epoch()) {
            ModelFiles.linkParameters(dir, bestDir);
        }
        return dir;
    }

    /**
     * Writes a checkpoint to {@code dir}: the parameters, the best model so far when it is another one, and the
     * training state.
     */
    private void save(Model model, Path dir, Checkpoint state) throws IOException {
        ModelFiles.clear(dir);
        model.save(dir, ModelFiles.PREFIX);
        boolean ownBest = state.batches() == 0 && state.bestEpoch() == state.epoch();
        if (!ownBest && Files.isDirectory(bestDir)) {
            ModelFiles.linkParameters(bestDir, dir.resolve("best"));
        }
        ModelFiles.write(dir.resolve(ModelFiles.CHECKPOINT), state);
    }

    /**
     * Writes the checkpoint into a temporary folder beside {@code dir} and renames it into place, so that a write cut
     * short (the node killed while draining) leaves no half-written folder under the name the database will hold.
     */
    void saveAtomically(Model model, Path dir, Checkpoint state) throws IOException {
        Path partial = dir.resolveSibling(dir.getFileName() + ".partial");
        save(model, partial, state);
        ModelFiles.clear(dir);
        Files.move(partial, dir, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Whether {@code dir} already holds a checkpoint of the same point: no batch ran since it was resumed from. */
    static boolean holds(Path dir, Checkpoint at) {
        if (!Files.isRegularFile(dir.resolve(ModelFiles.CHECKPOINT))) {
            return false;
        }
        Checkpoint there = ModelFiles.readCheckpoint(dir);
        return there.epoch() == at.epoch() && there.batches() == at.batches()
                && there.optimizerSteps() == at.optimizerSteps();
    }
}
