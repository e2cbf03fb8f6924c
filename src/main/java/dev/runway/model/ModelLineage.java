package dev.runway.model;

import dev.runway.dataset.DatasetService;
import dev.runway.dataset.Lineage;
import dev.runway.tenancy.Access;
import dev.runway.tenancy.Permission;
import dev.runway.training.Run;
import dev.runway.training.RunModels;
import dev.runway.training.RunService;
import dev.runway.training.engine.Template;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Lineage links in both directions: dataset version → its runs → their model versions, and run → its model version.
 * The registry is the one feature that sees all three, so it answers for the dataset and training pages.
 */
@ApplicationScoped
public class ModelLineage implements Lineage, RunModels {

    @Inject
    EntityManager em;

    @Inject
    Access access;

    @Inject
    RunService runs;

    @Inject
    DatasetService datasets;

    /** The route of a model version's page. */
    public static String href(long modelVersionId) {
        return "models/" + modelVersionId;
    }

    @Override
    @Transactional
    public List<Trained> trainedOn(long datasetVersionId) {
        access.require(Permission.READ);
        List<Run> trained = runs.trainedOn(datasetVersionId, MAX_RUNS);
        if (trained.isEmpty()) {
            return List.of();
        }
        Map<Long, ModelVersion> models = em.createQuery("select m from ModelVersion m where m.runId in :runs",
                        ModelVersion.class)
                .setParameter("runs", trained.stream().map(Run::getId).toList()).getResultStream()
                .collect(Collectors.toMap(ModelVersion::getRunId, Function.identity()));
        // The version's revisions in one query, not one per run.
        Map<Long, DatasetService.RevisionUsed> revisions = datasets.revisions(datasetVersionId).stream()
                .collect(Collectors.toMap(DatasetService.RevisionUsed::id, Function.identity()));
        return trained.stream().map(r -> new Trained(new Link("Run " + r.getId(), "runs/" + r.getId()),
                Template.labelOf(r.getTemplate()) + " · " + r.getStatus().name().toLowerCase(Locale.ROOT)
                        + Optional.ofNullable(r.getPreparationRevisionId()).map(revisions::get)
                                .map(used -> " · preparation " + used.label()).orElse(""),
                Optional.ofNullable(models.get(r.getId())).map(ModelLineage::link))).toList();
    }

    /** The preparation revision a trained version's run trained with; empty for an imported or older version. */
    @Transactional
    public Optional<DatasetService.RevisionUsed> preparationOf(ModelVersion version) {
        return version.getRunId() == null ? Optional.empty() : runs.preparationUsed(version.getRunId());
    }

    @Override
    @Transactional
    public Optional<Link> modelOf(long runId) {
        access.require(Permission.READ);
        return em.createQuery("select m from ModelVersion m where m.runId = :r", ModelVersion.class)
                .setParameter("r", runId).getResultStream().findFirst().map(ModelLineage::link);
    }

    private static Link link(ModelVersion m) {
        return new Link("Model version " + m.getVersion(), href(m.getId()));
    }
}
