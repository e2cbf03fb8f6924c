package dev.runway.dataset;

import java.util.List;
import java.util.Optional;

/**
 * What was made from a dataset version: the training runs on it and the model versions they registered. The dataset
 * feature sits below training and models, so it asks through this interface; the model registry answers it.
 */
public interface Lineage {

    /** A page in the console: what a person reads, and the route to open it (relative, e.g. {@code runs/12}). */
    record Link(String label, String href) {}

    /** A run trained on the version, what it is ("MLP · succeeded"), and its model version when it registered one. */
    record Trained(Link run, String description, Optional<Link> model) {}

    /** The newest training runs on {@code datasetVersionId} first, at most {@value #MAX_RUNS}. */
    List<Trained> trainedOn(long datasetVersionId);

    int MAX_RUNS = 200;
}
