package dev.runway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** The progress line `runway run --follow` draws: bar, epoch, losses, and a time left measured from the pace seen. */
class ProgressTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void the_line_shows_the_bar_the_epoch_the_latest_losses_and_an_eta_from_the_pace_seen() throws Exception {
        Progress progress = new Progress();
        String first = progress.line(run("RUNNING", 0.25, 5, false), 10_000);
        assertThat(first).isEqualTo("run 7 RUNNING   [######------------------]  25%  epoch 5/20  loss 0.5000  "
                + "val 0.6000  ETA --:--");
        // 25 % more in 30 s: the remaining half takes a minute.
        String later = progress.line(run("RUNNING", 0.5, 10, false), 40_000);
        assertThat(later).contains("[############------------]  50%  epoch 10/20").endsWith("ETA 1:00");
        String done = progress.line(run("SUCCEEDED", 1.0, 20, true), 70_000);
        assertThat(done).contains("[########################] 100%").doesNotContain("ETA");
    }

    @Test
    void a_queued_run_says_it_waits_and_durations_read_as_clocks() throws Exception {
        assertThat(new Progress().line(JSON.readTree("{\"id\": 3, \"status\": \"QUEUED\"}"), 0))
                .isEqualTo("run 3 QUEUED: waiting for a worker");
        assertThat(Progress.duration(7)).isEqualTo("0:07");
        assertThat(Progress.duration(750)).isEqualTo("12:30");
        assertThat(Progress.duration(3723)).isEqualTo("1:02:03");
    }

    private static JsonNode run(String status, double progress, int epoch, boolean finished) throws Exception {
        return JSON.readTree("{\"id\": 7, \"status\": \"" + status + "\", \"progress\": " + progress + ", \"epoch\": "
                + epoch + ", \"totalEpochs\": 20, \"finished\": " + finished + ", \"metrics\": [{\"epoch\": 1, "
                + "\"trainLoss\": 0.9, \"validationLoss\": 1.0}, {\"epoch\": " + epoch + ", \"trainLoss\": 0.5, "
                + "\"validationLoss\": 0.6}]}");
    }
}
