package dev.runway.model;

import dev.runway.dataset.DatasetService;
import dev.runway.project.ProjectService;
import dev.runway.tenancy.Actor;
import dev.runway.tenancy.TenantContext;
import dev.runway.testing.TenancyFixture;
import dev.runway.training.Run;
import dev.runway.training.RunFinished;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A company with a project and model versions registered the way a finished training run registers them (the
 * RunFinished event), without training anything: lifecycle tests need versions, not models.
 */
@ApplicationScoped
public class ModelFixture {

    @Inject
    TenancyFixture tenancy;

    @Inject
    ProjectService projects;

    @Inject
    DatasetService datasets;

    @Inject
    ModelService models;

    @Inject
    EntityManager em;

    @Inject
    Event<RunFinished> finished;

    /** {@code versions} holds the version ids in order (v1, v2, …). */
    public record Setup(TenancyFixture.Company company, long projectId, long datasetVersionId, List<Long> versions) {

        public Actor owner() {
            return company.owner();
        }

        public long v(int n) {
            return versions.get(n - 1);
        }
    }

    /** Another dataset of the project (its first version's id): a table the models were not trained on. */
    public long otherDataset(Actor owner, long projectId) {
        return TenantContext.runAs(owner, () -> {
            try (InputStream in = Files.newInputStream(Path.of("samples", "iris.csv"))) {
                return datasets.upload(projectId, "easy subset", "easy.csv", in).getId();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** A project with {@code accuracies.length} versions, version n having test accuracy {@code accuracies[n-1]}. */
    public Setup project(double... accuracies) {
        TenancyFixture.Company company = tenancy.company();
        Actor owner = company.owner();
        long[] ids = TenantContext.runAs(owner, () -> {
            long project = projects.create(new ProjectService.ProjectForm("Models " + TenancyFixture.unique(), "",
                    "", true)).getId();
            try (InputStream in = Files.newInputStream(Path.of("samples", "iris.csv"))) {
                return new long[] {project, datasets.upload(project, "iris", "iris.csv", in).getId()};
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        List<Long> versions = new ArrayList<>();
        for (double accuracy : accuracies) {
            versions.add(version(owner, ids[0], ids[1], accuracy));
        }
        return new Setup(company, ids[0], ids[1], versions);
    }

    /** Registers one more version (a succeeded TRAIN run with a model folder holding one file). */
    public long version(Actor owner, long projectId, long datasetVersionId, double accuracy) {
        Path dir;
        try {
            dir = Files.createTempDirectory("runway-model-");
            Files.writeString(dir.resolve("model-0001.params"), "weights " + accuracy);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String result = "{\"testMetrics\": {\"accuracy\": " + accuracy + ", \"f1\": " + accuracy + "}}";
        return TenantContext.runAs(owner, () -> QuarkusTransaction.requiringNew().call(() -> {
            long runId = ((Number) em.createNativeQuery("""
                            insert into run (tenant_id, project_id, dataset_version_id, kind, template, hyperparameters,
                                             requested_device, priority, status, started_by, created_at, finished_at,
                                             result, model_dir)
                            values (:tenant, :project, :dv, 'TRAIN', 'MLP', '{}', 'auto', 50, 'SUCCEEDED', :user,
                                    :now, :now, cast(:result as jsonb), :dir)
                            returning id""")
                    .setParameter("tenant", owner.tenantId()).setParameter("project", projectId)
                    .setParameter("dv", datasetVersionId).setParameter("user", owner.userId())
                    .setParameter("now", Instant.now()).setParameter("result", result)
                    .setParameter("dir", dir.toString()).getSingleResult()).longValue();
            finished.fire(new RunFinished(owner.tenantId(), runId, projectId, datasetVersionId, owner.userId(),
                    Run.Kind.TRAIN, Run.Status.SUCCEEDED, "MLP", result, dir.toString()));
            em.flush();
            return models.forRun(runId).orElseThrow().getId();
        }));
    }

    /** A succeeded evaluation of the version's model, with {@code metrics} as its result's figures. */
    public long evaluation(Actor owner, long versionId, String metricsJson) {
        return evaluation(owner, versionId, null, metricsJson);
    }

    /** An evaluation on {@code datasetVersionId} (null: the data the version was trained on). */
    public long evaluation(Actor owner, long versionId, Long datasetVersionId, String metricsJson) {
        return TenantContext.runAs(owner, () -> QuarkusTransaction.requiringNew().call(() -> {
            ModelVersion v = models.get(versionId);
            return ((Number) em.createNativeQuery("""
                            insert into run (tenant_id, project_id, dataset_version_id, kind, source_run_id, template,
                                             hyperparameters, requested_device, priority, status, started_by,
                                             created_at, finished_at, result)
                            values (:tenant, :project, :dv, 'EVALUATE', :source, 'MLP', '{}', 'auto', 50, 'SUCCEEDED',
                                    :user, :now, :now, cast(:result as jsonb))
                            returning id""")
                    .setParameter("tenant", owner.tenantId()).setParameter("project", v.getProjectId())
                    .setParameter("dv", datasetVersionId == null ? v.getDatasetVersionId() : datasetVersionId)
                    .setParameter("source", v.getRunId())
                    .setParameter("user", owner.userId()).setParameter("now", Instant.now())
                    .setParameter("result", "{\"metrics\": " + metricsJson + "}").getSingleResult()).longValue();
        }));
    }
}
