package dev.runway.model;

import dev.runway.collaboration.CommentSubject;
import dev.runway.collaboration.Commentable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

/** Model versions take comments. */
@ApplicationScoped
class ModelComments implements Commentable {

    @Inject
    ModelService models;

    @Override
    public CommentSubject.Type type() {
        return CommentSubject.Type.MODEL_VERSION;
    }

    @Override
    @Transactional(Transactional.TxType.MANDATORY)
    public CommentSubject subject(long id) {
        ModelVersion version = models.get(id);
        return new CommentSubject(CommentSubject.Type.MODEL_VERSION, version.getId(), version.getProjectId(),
                "model v" + version.getVersion());
    }
}
