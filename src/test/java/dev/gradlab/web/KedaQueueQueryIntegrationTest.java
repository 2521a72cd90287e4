package dev.gradlab.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gradlab.deploy.KubernetesManifests;
import dev.gradlab.job.JobStatus;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The query KEDA's PostgreSQL scaler runs (deploy/k8s/base/scaledobject.yaml) on the schema Flyway gives
 * PostgreSQL, as the application's database user (the scaler logs in with the same Secret): it must run, return
 * one integer, and count exactly the jobs an instance has, queued or training.
 */
@ExtendWith(EmbeddedPostgresServer.class)
class KedaQueueQueryIntegrationTest {

    @Test
    void theScalersQueryCountsQueuedAndRunningJobs() throws Exception {
        String url =
                "jdbc:postgresql://localhost:" + EmbeddedPostgresServer.port() + "/" + EmbeddedPostgresServer.DATABASE;
        Flyway.configure()
                .dataSource(url, EmbeddedPostgresServer.USER, EmbeddedPostgresServer.PASSWORD)
                .locations("classpath:db/migration/postgresql")
                .load()
                .migrate();
        String query = KubernetesManifests.scalerQuery();
        try (Connection db =
                DriverManager.getConnection(url, EmbeddedPostgresServer.USER, EmbeddedPostgresServer.PASSWORD)) {
            assertThat(count(db, query)).as("an empty queue").isZero();
            // Three of each status but one extra QUEUED, so that a query missing a status or counting a finished
            // one gives a different number.
            int expected = 0;
            try (PreparedStatement insert = db.prepareStatement("insert into job (id, owner, status, spec, created_at,"
                    + " total_iterations) values (?, 'local', ?, '{}', ?, 10)")) {
                for (JobStatus status : JobStatus.values()) {
                    int jobs = status == JobStatus.QUEUED ? 4 : 3;
                    for (int i = 0; i < jobs; i++) {
                        insert.setObject(1, UUID.randomUUID());
                        insert.setString(2, status.name()); // as JPA stores it (@Enumerated(STRING))
                        insert.setTimestamp(3, Timestamp.from(Instant.now()));
                        insert.executeUpdate();
                    }
                    if (!status.finished()) {
                        expected += jobs;
                    }
                }
            }
            assertThat(expected).isEqualTo(7);
            assertThat(count(db, query)).isEqualTo(expected);
        }
    }

    private static long count(Connection db, String query) throws Exception {
        try (Statement s = db.createStatement();
                ResultSet rows = s.executeQuery(query)) {
            assertThat(rows.getMetaData().getColumnCount()).isEqualTo(1);
            assertThat(rows.next()).isTrue();
            long count = rows.getLong(1);
            assertThat(rows.next()).as("one row").isFalse();
            return count;
        }
    }
}
