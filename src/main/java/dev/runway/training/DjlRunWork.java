package dev.runway.training;

import dev.runway.base.Json;
import dev.runway.dataset.DatasetService;
import dev.runway.dataset.DatasetService.TrainingInput;
import dev.runway.dataset.Preparation;
import dev.runway.training.engine.EvaluationResult;
import dev.runway.training.engine.Hyperparameters;
import dev.runway.training.engine.ImportedModels;
import dev.runway.training.engine.PreparedData;
import dev.runway.training.engine.TrainingEngine;
import dev.runway.training.engine.TrainingListener;
import dev.runway.training.engine.TrainingResult;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.Optional;

/** Trains with the DJL engine, or evaluates a trained model, on the run's dataset version. */
@ApplicationScoped
class DjlRunWork implements RunWork {

    @Inject
    DatasetService datasets;

    @Inject
    RunService runs;

    /**
     * An imported model reads the columns its manifest names, raw or prepared by the dataset version's split and
     * scaling (Runway's defaults where the version has no preparation settings).
     */
    private Outcome evaluateImported(Run run, TrainingListener listener) {
        Path dir = Path.of(run.getModelDir());
        ImportedModels.Spec spec = ImportedModels.readSpec(dir);
        TrainingInput input = datasets.evaluationInput(run.getDatasetVersionId());
        Preparation.TaskType task = Preparation.TaskType.valueOf(spec.task().name());
        Preparation base = input.preparation() != null ? input.preparation()
                : Preparation.defaults(spec.target(), spec.features(), task);
        Preparation preparation = new Preparation(spec.target(), spec.features(), task, base.trainRatio(),
                base.validationRatio(), base.testRatio(), base.seed(), base.missingValues(), !spec.raw());
        PreparedData data = TrainingData.load(input.file(), input.delimiter(), input.profile(), preparation);
        boolean test = "test".equals(run.getEvaluateRows());
        PreparedData.Split rows = test ? data.test() : ImportedModels.all(data);
        listener.log("Evaluating imported model version " + run.getSourceModelVersionId() + " (" + spec.format()
                + ", " + (spec.raw() ? "raw" : "prepared") + " inputs) on " + (test ? "the test rows" : "all rows")
                + " of dataset version " + run.getDatasetVersionId() + ": " + rows.rows() + " rows");
        try {
            EvaluationResult result = ImportedModels.evaluate(dir, spec, rows, data.labels(), data.encoding(),
                    listener::stopRequested);
            return new Outcome(false, "cpu", Json.write(result), run.getModelDir());
        } catch (ImportedModels.Stopped e) {
            listener.log("Evaluation stopped before it finished");
            return new Outcome(true, "cpu", null, null);
        }
    }

    @Override
    public Outcome execute(Run run, int gpu, Path workDir, Optional<Path> resumeFrom, TrainingListener listener)
            throws Exception {
        if (run.getKind() == Run.Kind.EVALUATE && run.getSourceModelVersionId() != null) {
            return evaluateImported(run, listener);
        }
        TrainingInput input = datasets.trainingInput(run.getDatasetVersionId(), run.getPreparationRevisionId());
        if (run.getKind() == Run.Kind.EVALUATE) {
            Run source = runs.get(run.getSourceRunId());
            listener.log("Evaluating the model of run " + source.getId() + " on dataset version "
                    + run.getDatasetVersionId());
            // On the training's own version the same seed gives the same split: measure on its test rows only,
            // unless all rows were asked for.
            PreparedData data = run.getDatasetVersionId().equals(source.getDatasetVersionId())
                    && !"all".equals(run.getEvaluateRows())
                    ? TrainingData.load(input.file(), input.delimiter(), input.profile(), input.preparation())
                    : TrainingData.loadForModel(input.file(), input.delimiter(), input.profile(),
                            Path.of(source.getModelDir()));
            // The engine's evaluation of a trained model is one pass; a stop asked while the rows loaded ends here.
            if (listener.stopRequested()) {
                return new Outcome(true, "cpu", null, null);
            }
            EvaluationResult result = TrainingEngine.evaluate(Path.of(source.getModelDir()), data);
            return new Outcome(false, "cpu", Json.write(result), source.getModelDir());
        }
        Hyperparameters h = RunService.hyperparameters(run);
        // The settings were checked when the run was submitted; the engine asserts what only the data can tell.
        PreparedData data = TrainingData.load(input.file(), input.delimiter(), input.profile(), input.preparation());
        listener.log("Training " + h.template().label() + " on " + data.train().rows() + " rows (validation "
                + data.validation().rows() + ", test " + data.test().rows() + ")");
        // The slot's pinned GPU ("gpu1") rather than whatever GPU the engine would pick first.
        String device = gpu >= 0 ? "gpu" + gpu : run.getRequestedDevice();
        TrainingResult result = TrainingEngine.train(h, data, workDir, resumeFrom, device, listener);
        if (result.status() == TrainingResult.Status.STOPPED) {
            return new Outcome(true, result.device(), null, null);
        }
        return new Outcome(false, result.device(), Json.write(result), result.modelDir().toString());
    }
}
