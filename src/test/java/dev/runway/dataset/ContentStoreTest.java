package dev.runway.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runway.base.BadInputException;
import dev.runway.base.TooLargeException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Staging an upload while a second thread profiles the same bytes: the outcome of staging first, then profiling. */
@Timeout(30)
class ContentStoreTest {

    @TempDir
    Path root;

    ContentStore store;

    @BeforeEach
    void store() {
        store = new ContentStore();
        store.root = root;
    }

    @Test
    void the_profile_made_while_staging_equals_the_profile_of_the_staged_file() throws Exception {
        byte[] csv = rows(200_000);   // several MB: many chunks through the pipe
        ContentStore.Read<CsvProfile> read = store.stage(new ByteArrayInputStream(csv), 1L << 30,
                CsvProfiler::profile);

        assertThat(read.staged().size()).isEqualTo(csv.length);
        assertThat(read.staged().sha256()).isEqualTo(HexFormat.of().formatHex(
                MessageDigest.getInstance("SHA-256").digest(csv)));
        assertThat(Files.readAllBytes(read.staged().file())).isEqualTo(csv);
        assertThat(read.result()).isEqualTo(CsvProfiler.profile(read.staged().file()));
        assertThat(read.result().rows()).isEqualTo(200_000);
    }

    @Test
    void a_bad_file_is_refused_with_its_line_and_nothing_is_left_behind() {
        byte[] csv = ("a,b\n1,2\n3\n" + new String(rows(100_000), StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> store.stage(new ByteArrayInputStream(csv), 1L << 30, CsvProfiler::profile))
                .isInstanceOf(BadInputException.class).hasMessageContaining("Line 3 has 1 values");
        assertThat(partials()).as("no partial file left").isZero();
    }

    @Test
    void a_file_over_the_cap_is_too_large_even_where_the_profiler_failed_first() {
        long cap = 1024 * 1024;
        InputStream bad = new SequenceInputStream(new ByteArrayInputStream("a,b\n\"unclosed\n".getBytes(
                StandardCharsets.UTF_8)), new ByteArrayInputStream(new byte[(int) cap]));

        assertThatThrownBy(() -> store.stage(bad, cap, CsvProfiler::profile)).isInstanceOf(TooLargeException.class)
                .hasMessageContaining("larger than the limit of 1 MB");
        assertThat(partials()).isZero();
    }

    @Test
    void a_reader_that_stops_early_does_not_stall_the_copy() throws Exception {
        byte[] csv = rows(200_000);
        ContentStore.Read<Integer> read = store.stage(new ByteArrayInputStream(csv), 1L << 30, in -> in.read());

        assertThat(read.result()).isEqualTo((int) 'x');
        assertThat(read.staged().size()).isEqualTo(csv.length);
    }

    @Test
    void a_broken_upload_fails_with_its_own_error_and_the_reader_sees_the_stream_stop() {
        InputStream broken = new SequenceInputStream(new ByteArrayInputStream(rows(50_000)), new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("connection reset");
            }
        });
        long[] readerSaw = new long[1];

        assertThatThrownBy(() -> store.stage(broken, 1L << 30, in -> {
            byte[] buffer = new byte[8192];
            int n;
            while ((n = in.read(buffer)) > 0) {
                readerSaw[0] += n;
            }
            return readerSaw[0];
        })).isInstanceOf(IOException.class).hasMessage("connection reset");
        assertThat(partials()).isZero();
    }

    @Test
    void staging_without_a_reader_is_unchanged() throws Exception {
        byte[] csv = rows(1000);
        ContentStore.Staged staged = store.stage(new ByteArrayInputStream(csv), 1L << 30);
        assertThat(Files.readAllBytes(staged.file())).isEqualTo(csv);
        assertThat(store.commit(staged)).isEqualTo(store.pathOf(staged.sha256()));
    }

    private static byte[] rows(int count) {
        StringBuilder csv = new StringBuilder("x,y,label\n");
        for (int i = 0; i < count; i++) {
            csv.append(i).append(',').append(i * 0.5).append(',').append(i % 3 == 0 ? "a" : "b").append('\n');
        }
        return csv.toString().getBytes(StandardCharsets.UTF_8);
    }

    private long partials() {
        try (var tmp = Files.list(root.resolve("tmp"))) {
            return tmp.filter(p -> p.getFileName().toString().endsWith(".part")).count();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
