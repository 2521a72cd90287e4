package dev.gradlab.database;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.BaseUnits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.function.LongSupplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The gauge {@value #METER}: what the database takes on disk. H2: the size of its file (which does not shrink when
 * rows are deleted: H2 reuses the space for new rows, and gives it back only on {@code SHUTDOWN COMPACT}), not
 * reported (NaN) for an in-memory database; PostgreSQL: {@code pg_database_size(current_database())}. Read at most
 * once per {@link #MAX_AGE}, whatever the scrape rate, and never more than one read at a time; a failed read (an
 * outage) keeps the last figure.
 */
@Component
public class DatabaseSize {

    private static final Logger log = LoggerFactory.getLogger(DatabaseSize.class);

    public static final String METER = "gradlab.database.size.bytes";

    /** A scrape within this long of the last read gets that read's figure. */
    static final Duration MAX_AGE = Duration.ofSeconds(30);

    private final DataSource dataSource;
    private final LongSupplier nanoTime;
    private double bytes = Double.NaN;
    private long readAt;
    private boolean read;

    @Autowired
    DatabaseSize(DataSource dataSource, MeterRegistry registry) {
        this(dataSource, registry, System::nanoTime);
    }

    DatabaseSize(DataSource dataSource, MeterRegistry registry, LongSupplier nanoTime) {
        this.dataSource = dataSource;
        this.nanoTime = nanoTime;
        Gauge.builder(METER, this, DatabaseSize::bytes)
                .description("Bytes the database takes on disk (H2: its file; PostgreSQL: pg_database_size), read at"
                        + " most every 30 s")
                .baseUnit(BaseUnits.BYTES)
                // Micrometer holds the object weakly by default: the gauge must not turn NaN when nothing else does.
                .strongReference(true)
                .register(registry);
    }

    /** The last figure read, read again if it is older than {@link #MAX_AGE}. */
    synchronized double bytes() {
        long now = nanoTime.getAsLong();
        if (!read || now - readAt >= MAX_AGE.toNanos()) {
            read = true;
            readAt = now;
            try {
                bytes = measure();
            } catch (SQLException | IOException | RuntimeException e) {
                log.debug("database size not read: {}", e.toString());
            }
        }
        return bytes;
    }

    private double measure() throws SQLException, IOException {
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement()) {
            String product = c.getMetaData().getDatabaseProductName();
            if ("H2".equals(product)) {
                try (ResultSet rs = s.executeQuery("select database_path()")) {
                    String path = rs.next() ? rs.getString(1) : null;
                    return path == null ? Double.NaN : Files.size(Path.of(path + ".mv.db"));
                }
            }
            if ("PostgreSQL".equals(product)) {
                try (ResultSet rs = s.executeQuery("select pg_database_size(current_database())")) {
                    return rs.next() ? rs.getLong(1) : Double.NaN;
                }
            }
            return Double.NaN;
        }
    }
}
