package dev.gradlab.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;

/**
 * DELETE of jobs (queued, running, finished) and studies over the real HTTP API, checked in the database: the job
 * rows, their queue executions and every metric row go; everything about them answers 404; a running job's late
 * writes store nothing, and the jobs behind it train as usual. Also the stored bytes a job reports.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class DataLifecycleIntegrationTest {

    static final String TINY = JobApiIntegrationTest.TINY;
    static final String LONG = JobApiIntegrationTest.LONG;

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    ApiClient api() {
        return new ApiClient(port);
    }

    /** Every metric row of the job, in all four tables. */
    static long metricRows(JdbcTemplate jdbc, String id) {
        long n = 0;
        for (String table : List.of("metric_chunk", "timestep_gradient", "epoch_metric", "metric_layer")) {
            n += jdbc.queryForObject(
                    "select count(*) from " + table + " where job_id = ?", Long.class, UUID.fromString(id));
        }
        return n;
    }

    static long payloadBytes(JdbcTemplate jdbc, String id) {
        UUID job = UUID.fromString(id);
        return jdbc.queryForObject(
                        "select coalesce(sum(octet_length(points)), 0) from metric_chunk where job_id = ?",
                        Long.class,
                        job)
                + jdbc.queryForObject(
                        "select coalesce(sum(octet_length(norms)), 0) from timestep_gradient where job_id = ?",
                        Long.class,
                        job);
    }

    static void await(String what, Duration timeout, BooleanSupplier done) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + ": not within " + timeout);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** The job's measurements are removed (they go after the 204, in the background). */
    static void awaitPurged(JdbcTemplate jdbc, String id) {
        await(
                "job " + id + " purged",
                Duration.ofSeconds(60),
                () -> jdbc.queryForObject(
                                "select count(*) from job_purge where job_id = ?", Long.class, UUID.fromString(id))
                        == 0);
        assertThat(metricRows(jdbc, id)).as("metric rows of deleted job " + id).isZero();
    }

    private void assertGone(ApiClient api, String id) {
        for (String path : List.of(
                "",
                "/curves/loss",
                "/curves/gradients",
                "/curves/layers?stat=updateRatio",
                "/curves/timesteps",
                "/profiles",
                "/events")) {
            ApiClient.Reply r = api.get("/api/v1/jobs/" + id + path);
            assertThat(r.status()).as(path).isEqualTo(404);
            assertThat(r.json().get("code").asString()).as(path).isEqualTo("job-not-found");
        }
        assertThat(jdbc.queryForObject("select count(*) from job where id = ?", Long.class, UUID.fromString(id)))
                .isZero();
        ApiClient.Reply again = api.delete("/api/v1/jobs/" + id);
        assertThat(again.status()).as("deleting again").isEqualTo(404);
    }

    /** A job's queue execution is gone (a running job's once its run has returned). */
    private void assertNoExecution(String id) {
        assertThat(jdbc.queryForObject("select count(*) from scheduled_tasks where task_instance = ?", Long.class, id))
                .as("the queue execution of " + id)
                .isZero();
    }

    @Test
    void aFinishedJobReportsItsStoredBytesAndIsDeletedWithItsCurvesAndIdempotencyKey() {
        ApiClient api = api();
        String key = "lifecycle-" + UUID.randomUUID();
        ApiClient.Reply submitted = api.post("/api/v1/jobs", TINY, "application/json", key);
        assertThat(submitted.json().get("storedBytes").asLong()).isZero();
        String id = submitted.json().get("id").asString();
        JsonNode done = api.awaitFinished(id, Duration.ofSeconds(60));
        assertThat(done.get("status").asString()).isEqualTo("SUCCEEDED");
        assertThat(done.get("diagnosis")).isNotNull(); // computed and cached: deleting must drop it too

        long stored = done.get("storedBytes").asLong();
        assertThat(stored).isPositive().isEqualTo(payloadBytes(jdbc, id));
        // 10 iterations of a 3-layer mlp: the loss and each layer's statistics, 16 bytes a point
        assertThat(stored % 16).isZero();
        assertThat(stored / 16).isGreaterThan(10 * 4);
        long inList = api.get("/api/v1/jobs?size=100")
                .json()
                .get("items")
                .valueStream()
                .filter(j -> j.get("id").asString().equals(id))
                .findFirst()
                .orElseThrow()
                .get("storedBytes")
                .asLong();
        assertThat(inList).isEqualTo(stored);
        assertThat(metricRows(jdbc, id)).isPositive();

        ApiClient.Reply deleted = api.delete("/api/v1/jobs/" + id);
        assertThat(deleted.status()).as(deleted.body()).isEqualTo(204);
        assertThat(deleted.body()).isEmpty();
        assertGone(api, id);
        awaitPurged(jdbc, id);

        ApiClient.Reply resubmitted = api.post("/api/v1/jobs", TINY, "application/json", key);
        assertThat(resubmitted.status()).isEqualTo(202);
        assertThat(resubmitted.header("Idempotent-Replayed"))
                .as("the key went with the job")
                .isNull();
        assertThat(resubmitted.json().get("id").asString()).isNotEqualTo(id);
        api.awaitFinished(resubmitted.json().get("id").asString(), Duration.ofSeconds(60));
    }

    /**
     * One training thread (the test default): a long job runs, a tiny one waits behind it. Deleting the waiting
     * one removes its execution; deleting the running one stops it, and the writes it makes after the delete
     * store nothing. The next job then starts (so the deleted run has returned, its last writes done) and trains
     * with every point stored.
     */
    @Test
    void queuedAndRunningJobsAreDeletedAndTheRunStoresNothingAfterwards() {
        ApiClient api = api();
        api.awaitIdle(Duration.ofSeconds(120));
        String running = api.submit(LONG);
        api.awaitJob(running, j -> j.get("progress").get("iteration").asLong() > 20, Duration.ofSeconds(60));
        String queued = api.submit(TINY);
        assertThat(api.get("/api/v1/jobs/" + queued).json().get("status").asString())
                .isEqualTo("QUEUED");
        assertThat(jdbc.queryForObject(
                        "select count(*) from scheduled_tasks where task_instance = ?", Long.class, queued))
                .isEqualTo(1);

        assertThat(api.delete("/api/v1/jobs/" + queued).status()).isEqualTo(204);
        assertGone(api, queued);
        assertNoExecution(queued);

        String next = api.submit(TINY); // waits for the running job's thread
        assertThat(metricRows(jdbc, running)).isPositive();
        assertThat(api.delete("/api/v1/jobs/" + running).status()).isEqualTo(204);
        assertGone(api, running);

        JsonNode nextDone = api.awaitFinished(next, Duration.ofSeconds(60)); // the deleted run has returned
        assertThat(nextDone.get("status").asString()).isEqualTo("SUCCEEDED");
        assertNoExecution(running);
        awaitPurged(jdbc, running);
        assertThat(metricRows(jdbc, running))
                .as("the deleted run is over; nothing it wrote after the delete was stored")
                .isZero();
        assertThat(jdbc.queryForObject("select count(*) from job where id = ?", Long.class, UUID.fromString(running)))
                .as("nor did its outcome bring the row back")
                .isZero();
        JsonNode loss = api.get("/api/v1/jobs/" + next + "/curves/loss").json();
        assertThat(loss.get("iterations").size())
                .as("the next job's every point stored")
                .isEqualTo(10);
        assertThat(nextDone.get("storedBytes").asLong()).isEqualTo(payloadBytes(jdbc, next));
    }

    @Test
    void aStudyIsDeletedWithAllItsJobsAndItsJobsOnlyWithIt() {
        ApiClient api = api();
        ApiClient.Reply created = api.post("/api/v1/studies", """
                {"name": "to delete", "base": %s, "vary": {"model.depth": [2, 3]}, "repeats": 1}""".formatted(StudyApiIntegrationTest.TINY_BASE));
        assertThat(created.status()).as(created.body()).isEqualTo(202);
        String study = created.json().get("id").asString();
        List<String> jobs = api.get("/api/v1/jobs?studyId=" + study)
                .json()
                .get("items")
                .valueStream()
                .map(j -> j.get("id").asString())
                .toList();
        assertThat(jobs).hasSize(2);
        api.awaitStudy(study, Duration.ofSeconds(120));
        for (String job : jobs) {
            assertThat(metricRows(jdbc, job)).isPositive();
        }

        ApiClient.Reply refused = api.delete("/api/v1/jobs/" + jobs.get(0));
        assertThat(refused.status()).as(refused.body()).isEqualTo(409);
        assertThat(refused.json().get("code").asString()).isEqualTo("job-in-study");
        assertThat(refused.json().get("studyId").asString()).isEqualTo(study);
        assertThat(api.get("/api/v1/jobs/" + jobs.get(0)).status()).isEqualTo(200);

        ApiClient.Reply deleted = api.delete("/api/v1/studies/" + study);
        assertThat(deleted.status()).as(deleted.body()).isEqualTo(204);
        ApiClient.Reply gone = api.get("/api/v1/studies/" + study);
        assertThat(gone.status()).isEqualTo(404);
        assertThat(gone.json().get("code").asString()).isEqualTo("study-not-found");
        assertThat(api.get("/api/v1/studies/" + study + "/profiles").status()).isEqualTo(404);
        assertThat(api.delete("/api/v1/studies/" + study).status()).isEqualTo(404);
        assertThat(api.get("/api/v1/jobs?studyId=" + study).json().get("total").asLong())
                .isZero();
        for (String job : jobs) {
            assertGone(api, job);
            awaitPurged(jdbc, job);
        }
    }

    @Test
    void aStudyWithARunningAndAQueuedJobIsDeleted() {
        ApiClient api = api();
        api.awaitIdle(Duration.ofSeconds(120));
        ApiClient.Reply created = api.post("/api/v1/studies", """
                {"base": %s, "vary": {"model.depth": [10, 12]}, "repeats": 1}""".formatted(StudyApiIntegrationTest.LONG_BASE));
        String study = created.json().get("id").asString();
        List<String> jobs = api.get("/api/v1/jobs?studyId=" + study)
                .json()
                .get("items")
                .valueStream()
                .map(j -> j.get("id").asString())
                .toList();
        String next = api.submit(TINY); // behind both
        await(
                "one of the study's jobs stores metrics",
                Duration.ofSeconds(60),
                () -> jobs.stream().anyMatch(j -> metricRows(jdbc, j) > 0));

        assertThat(api.delete("/api/v1/studies/" + study).status()).isEqualTo(204);
        assertThat(api.get("/api/v1/studies/" + study).status()).isEqualTo(404);
        assertThat(api.awaitFinished(next, Duration.ofSeconds(60)).get("status").asString())
                .isEqualTo("SUCCEEDED");
        for (String job : jobs) {
            assertGone(api, job);
            assertNoExecution(job);
            awaitPurged(jdbc, job);
        }
    }
}
