package dev.gradlab.database;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/** The gauge reads the H2 file's size at most once per 30 s, whatever the scrape rate; nothing for an in-memory H2. */
class DatabaseSizeTest {

    @TempDir
    Path dir;

    private final AtomicLong nanos = new AtomicLong(1_000);
    private final MeterRegistry registry = new SimpleMeterRegistry();

    private double gauge() {
        return registry.get(DatabaseSize.METER).gauge().value();
    }

    @Test
    void theFileSizeReadAgainOnlyOnceTheLastReadIs30SecondsOld() throws IOException {
        SingleConnectionDataSource data =
                new SingleConnectionDataSource("jdbc:h2:file:" + dir.resolve("db") + ";DB_CLOSE_ON_EXIT=FALSE", true);
        try {
            JdbcTemplate jdbc = new JdbcTemplate(data);
            jdbc.execute("create table t (b varbinary)");
            jdbc.execute("checkpoint sync");
            new DatabaseSize(data, registry, nanos::get);
            Path file = dir.resolve("db.mv.db");
            long before = Files.size(file);
            assertThat(gauge()).isEqualTo(before);

            for (int i = 0; i < 200; i++) {
                jdbc.update("insert into t values (?)", new byte[10_000]);
            }
            jdbc.execute("checkpoint sync");
            long after = Files.size(file);
            assertThat(after).isGreaterThan(before);
            nanos.addAndGet(29_000_000_000L);
            assertThat(gauge()).as("29 s later: the cached figure").isEqualTo(before);
            nanos.addAndGet(1_000_000_000L);
            assertThat(gauge()).as("30 s later: read again").isEqualTo(after);
        } finally {
            data.destroy();
        }
    }

    @Test
    void anInMemoryDatabaseHasNoSize() {
        SingleConnectionDataSource data = new SingleConnectionDataSource("jdbc:h2:mem:size", true);
        try {
            new DatabaseSize(data, registry, nanos::get);
            assertThat(gauge()).isNaN();
        } finally {
            data.destroy();
        }
    }
}
