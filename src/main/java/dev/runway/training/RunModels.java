package dev.runway.training;

import dev.runway.dataset.Lineage;
import java.util.Optional;

/**
 * The model version a run registered, for the run page's lineage link. Training sits below the model registry, so it
 * asks through this interface; the registry answers it.
 */
public interface RunModels {

    Optional<Lineage.Link> modelOf(long runId);
}
