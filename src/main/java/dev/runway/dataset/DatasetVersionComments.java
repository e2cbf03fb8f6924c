package dev.runway.dataset;

import dev.runway.collaboration.CommentSubject;
import dev.runway.collaboration.Commentable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

/** Dataset versions take comments. */
@ApplicationScoped
class DatasetVersionComments implements Commentable {

    @Inject
    DatasetService datasets;

    @Override
    public CommentSubject.Type type() {
        return CommentSubject.Type.DATASET_VERSION;
    }

    @Override
    @Transactional(Transactional.TxType.MANDATORY)
    public CommentSubject subject(long id) {
        DatasetVersion version = datasets.version(id);
        Dataset dataset = datasets.dataset(version.getDatasetId());
        return new CommentSubject(CommentSubject.Type.DATASET_VERSION, version.getId(), dataset.getProjectId(),
                dataset.getName() + " v" + version.getVersion());
    }
}
