package dev.runway.base;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
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

    @Test
    void file_urls_lose_their_path_and_their_scheme() {
        assertThat(Text.withoutFilePaths("Cannot open file:/srv/runway/data/storage/runs/3/model.params"))
                .isEqualTo("Cannot open a stored file");
        assertThat(Text.withoutFilePaths("Cannot open file:///srv/runway/data/storage/runs/3/model.params: gone"))
                .isEqualTo("Cannot open a stored file: gone");
        assertThat(Text.withoutFilePaths("in jar:file:/srv/runway/lib/app.jar!/x"))
                .isEqualTo("in jar:a stored file!/x");
    }

    @Test
    void a_path_under_a_server_folder_whose_name_has_spaces_is_replaced_whole() {
        Pattern folders = Text.foldersPattern(List.of(Path.of("/work/my data/storage"), Path.of("/work/my data")));
        assertThat(Text.withoutFilePaths("java.nio.file.NoSuchFileException: /work/my data/storage/runs/1/model"
                + "-0001.params", folders)).isEqualTo("java.nio.file.NoSuchFileException: a stored file");
        assertThat(Text.withoutFilePaths("Cannot read file:/work/my data/config/x.json: denied", folders))
                .isEqualTo("Cannot read a stored file: denied");
        assertThat(Text.withoutFilePaths("/work/my data is the folder", folders))
                .isEqualTo("a stored file is the folder");
        assertThat(Text.withoutFilePaths("see /work/my database/x", folders)).isEqualTo("see a stored file database/x");
    }

    @Test
    void the_working_directory_counts_as_a_server_folder_without_configuration_in_hand() {
        String here = Path.of(System.getProperty("user.dir")).toAbsolutePath().toString();
        assertThat(Text.withoutFilePaths("Failed in " + here + "/target/x")).isEqualTo("Failed in a stored file");
    }
}
