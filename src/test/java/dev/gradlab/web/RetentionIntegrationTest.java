package dev.gradlab.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withinPercentage;

import dev.gradlab.database.DatabaseSize;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;

/**
 * The retention policy with a 3-second age, swept twice a second: finished jobs and finished studies go, with
 * their curves; a running job stays. The purge check finishes deleted jobs whose instance stopped, and leaves those
 * another instance is purging. And the database size gauge, on an H2 file.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "gradlab.retention.finished-jobs=3s",
            "gradlab.retention.sweep-interval=500ms",
            "gradlab.retention.purge-check-interval=500ms",
            "spring.datasource.url=jdbc:h2:file:./target/retention-it/${random.uuid};DB_CLOSE_ON_EXIT=FALSE"
        })
@ActiveProfiles("test")
class RetentionIntegrationTest {

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    MeterRegistry meters;

    ApiClient api() {
        return new ApiClient(port);
    }

    private void awaitDeleted(String path) {
        DataLifecycleIntegrationTest.await(
                path + " deleted by retention",
                Duration.ofSeconds(60),
                () -> api().get(path).status() == 404);
    }

    @Test
    void finishedJobsAndStudiesAreDeletedOnceOlderThanTheRetentionAndARunningJobStays() {
        ApiClient api = api();
        String tiny = api.submit(JobApiIntegrationTest.TINY);
        String running = api.submit(JobApiIntegrationTest.LONG); // starts once tiny has finished (one thread)
        ApiClient.Reply study = api.post("/api/v1/studies", """
                {"base": %s, "vary": {"model.depth": [2, 3]}, "repeats": 1}""".formatted(StudyApiIntegrationTest.TINY_BASE));
        assertThat(study.status()).isEqualTo(202);
        String studyId = study.json().get("id").asString();
        List<String> studyJobs = api.get("/api/v1/jobs?studyId=" + studyId)
                .json()
                .get("items")
                .valueStream()
                .map(j -> j.get("id").asString())
                .toList();

        api.awaitJob(running, j -> j.get("status").asString().equals("RUNNING"), Duration.ofSeconds(60));
        awaitDeleted("/api/v1/jobs/" + tiny); // 3 s after it finished (before the long job started)
        DataLifecycleIntegrationTest.awaitPurged(jdbc, tiny);
        assertThat(api.get("/api/v1/jobs/" + running).json().get("status").asString())
                .as("running: kept, however long ago it started")
                .isEqualTo("RUNNING");
        assertThat(api.get("/api/v1/studies/" + studyId).status())
                .as("its jobs have not run yet")
                .isEqualTo(200);

        assertThat(api.post("/api/v1/jobs/" + running + "/cancel", null, null, null)
                        .status())
                .isEqualTo(200);
        awaitDeleted("/api/v1/studies/" + studyId); // ran after the long job, and 3 s later went whole
        for (String job : studyJobs) {
            assertThat(api.get("/api/v1/jobs/" + job).status()).isEqualTo(404);
            DataLifecycleIntegrationTest.awaitPurged(jdbc, job);
        }
        awaitDeleted("/api/v1/jobs/" + running); // cancelled: finished like any other
        DataLifecycleIntegrationTest.awaitPurged(jdbc, running);
    }

    /** A deleted job's rows as an instance that stopped mid-purge leaves them. */
    private UUID leftOver(String claimedBy, Instant claimedUntil) {
        UUID id = UUID.randomUUID();
        for (int chunk = 0; chunk < 3; chunk++) {
            jdbc.update(
                    "insert into metric_chunk (job_id, series, layer_index, chunk_index, first_iteration,"
                            + " last_iteration, point_count, points) values (?, 'loss', -1, ?, 1, 1, 1, ?)",
                    id,
                    chunk,
                    new byte[16]);
        }
        jdbc.update(
                "insert into job_purge (job_id, deleted_at, claimed_by, claimed_until) values (?, ?, ?, ?)",
                id,
                Timestamp.from(Instant.now().minusSeconds(600)),
                claimedBy,
                Timestamp.from(claimedUntil));
        return id;
    }

    @Test
    void theRowsOfAJobWhosePurgeWasAbandonedAreRemovedAndAnotherInstancesClaimIsLeftAlone() {
        UUID abandoned = leftOver("instance-that-died", Instant.now().minusSeconds(1));
        UUID claimed = leftOver("instance-purging-it-now", Instant.now().plusSeconds(3600));

        DataLifecycleIntegrationTest.awaitPurged(jdbc, abandoned.toString());
        assertThat(DataLifecycleIntegrationTest.metricRows(jdbc, claimed.toString()))
                .isEqualTo(3);
        assertThat(jdbc.queryForObject("select claimed_by from job_purge where job_id = ?", String.class, claimed))
                .isEqualTo("instance-purging-it-now");
        jdbc.update("delete from metric_chunk where job_id = ?", claimed);
        jdbc.update("delete from job_purge where job_id = ?", claimed);
    }

    @Test
    void theDatabaseSizeGaugeReportsTheH2File() throws IOException {
        double bytes = meters.get(DatabaseSize.METER).gauge().value();
        String path = jdbc.queryForObject("select database_path()", String.class);
        long file = Files.size(Path.of(path + ".mv.db"));
        assertThat(bytes).isPositive().isCloseTo(file, withinPercentage(20));
        assertThat(meters.get(DatabaseSize.METER).gauge().getId().getBaseUnit()).isEqualTo("bytes");
    }
}
