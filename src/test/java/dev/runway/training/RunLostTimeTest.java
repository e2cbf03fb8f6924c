package dev.runway.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Lost (unbilled, redone) time is work only: never the wait in the queue after a hand-over. */
class RunLostTimeTest {

    private static final Instant T0 = Instant.parse("2026-11-30T10:00:00Z");

    private static Run run() {
        return new Run(1L, 1L, Run.Kind.TRAIN, null, "MLP", "{}", "cpu", "cpu", 50, 1L, null, 3, T0);
    }

    @Test
    void a_worker_dying_after_a_hand_over_loses_only_the_work_since_it_resumed_the_run() {
        Run run = run();
        run.start("node-a", T0);
        run.checkpoint(1, T0.plusSeconds(60));
        // Drained 40 s after the checkpoint, with no checkpoint at the batch it stopped before: 40 s redone.
        run.handOver(T0.plusSeconds(100));
        assertThat(run.getLostSeconds()).isEqualTo(40);

        // Five minutes in the queue, then node-b resumes it and dies 100 s later, before any checkpoint.
        run.resume("node-b", T0.plusSeconds(400));
        run.resume("node-c", T0.plusSeconds(500));

        assertThat(run.getLostSeconds()).as("40 s + node-b's 100 s, not the queue's 300 s").isEqualTo(140);
    }

    @Test
    void a_second_death_counts_from_the_last_resume_not_again_from_the_checkpoint() {
        Run run = run();
        run.start("node-a", T0);
        run.checkpoint(1, T0.plusSeconds(60));
        run.resume("node-b", T0.plusSeconds(90));
        run.resume("node-c", T0.plusSeconds(120));

        assertThat(run.getLostSeconds()).isEqualTo(60);
    }
}
