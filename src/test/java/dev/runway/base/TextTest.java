package dev.runway.base;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TextTest {

    @Test
    void file_paths_are_taken_out_of_messages_and_the_rest_is_kept() {
        assertThat(Text.withoutFilePaths("java.nio.file.NoSuchFileException: /srv/runway/data/storage/runs/3/17/model"
                + "/model-0001.params")).isEqualTo("java.nio.file.NoSuchFileException: a stored file");
        assertThat(Text.withoutFilePaths("The saved model in /tmp/x/model cannot be read: bad magic"))
                .isEqualTo("The saved model in a stored file cannot be read: bad magic");
        assertThat(Text.withoutFilePaths("Out of memory: use a smaller batch size or model"))
                .isEqualTo("Out of memory: use a smaller batch size or model");
        assertThat(Text.withoutFilePaths("Loss is NaN after epoch 3/10; lower the learning rate"))
                .isEqualTo("Loss is NaN after epoch 3/10; lower the learning rate");
        assertThat(Text.withoutFilePaths("see https://docs.example.com/a/b")).isEqualTo("see https://docs.example.com/a/b");
        assertThat(Text.withoutFilePaths(null)).isNull();
    }
}
