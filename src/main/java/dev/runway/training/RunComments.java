package dev.runway.training;

import dev.runway.collaboration.CommentSubject;
import dev.runway.collaboration.Commentable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

/** Runs take comments. */
@ApplicationScoped
class RunComments implements Commentable {

    @Inject
    RunService runs;

    @Override
    public CommentSubject.Type type() {
        return CommentSubject.Type.RUN;
    }

    @Override
    @Transactional(Transactional.TxType.MANDATORY)
    public CommentSubject subject(long id) {
        Run run = runs.get(id);
        String kind = run.getKind() == Run.Kind.TRAIN ? "training" : "evaluation";
        return new CommentSubject(CommentSubject.Type.RUN, run.getId(), run.getProjectId(), kind + " run #" + id);
    }
}
