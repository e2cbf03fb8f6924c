package dev.runway;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

@QuarkusTest
class KnotSchemaDumpTest {
    @Inject
    EntityManager em;

    @Test
    @Transactional
    void dump() throws Exception {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("select table_name, column_name, data_type, udt_name, "
                + "character_maximum_length, numeric_precision, numeric_scale, is_nullable from information_schema.columns "
                + "where table_schema = 'public' order by table_name, ordinal_position").getResultList();
        Files.writeString(Path.of("/tmp/knot/db-columns.txt"), rows.stream().map(r -> java.util.Arrays.stream(r)
                .map(String::valueOf).collect(Collectors.joining("|"))).collect(Collectors.joining("\n")));
    }
}
