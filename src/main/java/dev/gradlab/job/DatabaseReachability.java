package dev.gradlab.job;

import dev.gradlab.database.DatabaseFailures;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.springframework.core.InfrastructureProxy;
import org.springframework.jdbc.datasource.DelegatingDataSource;

/**
 * When this instance last failed to get a database connection for its queue: db-scheduler polls every
 * {@code polling-interval}, so every outage longer than that (plus the pool's connection timeout) is seen here.
 * {@link OutageAwareDeadExecutions} reads it to tell silence caused by an outage from a dead instance.
 */
final class DatabaseReachability {

    private final Clock clock;
    private final AtomicReference<Instant> lastFailure = new AtomicReference<>();

    DatabaseReachability(Clock clock) {
        this.clock = clock;
    }

    void failed() {
        lastFailure.set(clock.instant());
    }

    /** @return when a connection last failed, or null if none ever did */
    Instant lastFailure() {
        return lastFailure.get();
    }

    /**
     * The data source the queue uses, watched: a connection it cannot get marks an outage. An
     * {@link InfrastructureProxy}, so that Spring's transactions see the pool behind it: a job scheduled inside the
     * transaction that stores it still joins that transaction.
     */
    DataSource watch(DataSource dataSource) {
        return new Watched(dataSource);
    }

    private final class Watched extends DelegatingDataSource implements InfrastructureProxy {
        Watched(DataSource target) {
            super(target);
        }

        @Override
        public Object getWrappedObject() {
            return obtainTargetDataSource();
        }

        @Override
        public Connection getConnection() throws SQLException {
            try {
                return super.getConnection();
            } catch (SQLException | RuntimeException e) {
                if (DatabaseFailures.isUnavailable(e)) {
                    failed();
                }
                throw e;
            }
        }
    }
}
