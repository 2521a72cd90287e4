package dev.gradlab.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/**
 * Two GradLab processes on one PostgreSQL, as the postgres profile is meant to run: they start together (Flyway
 * migrates once), share one queue, and when one is killed with SIGKILL in the middle of a job, the other takes
 * that job over and everything finishes exactly once.
 * <p>
 * "Exactly once" is checked from the database: right after the kill, the dead instance's RUNNING jobs are its
 * only unfinished attempts (it can write nothing more, and the takeover needs several seconds of silence). Every
 * attempt is then known: its instance, start and end. Each job must end SUCCEEDED with the expected number of
 * attempts, no rerun may start before the kill, each curve holds every iteration once, and no instance ever has
 * more attempts in flight than its {@code gradlab.jobs.concurrency}.
 */
@ExtendWith(EmbeddedPostgresServer.class)
class ScaleOutIntegrationTest {

    static final String MEDIUM = RestartIntegrationTest.MEDIUM;
    static final String TINY = JobApiIntegrationTest.TINY;
    static final Duration HEARTBEAT = Duration.ofSeconds(1);
    /**
     * 8 s of silence before an instance counts as dead: on 2 loaded cores (two JVMs training, PostgreSQL) a live
     * instance's heartbeat can lag a few seconds, and a live one taken for dead would rerun a job that was never
     * lost. How fast a takeover happens is measured by bench/java/dev/gradlab/job/TakeoverDelayBench, not here.
     */
    static final int MISSED_HEARTBEATS = 8;

    @TempDir
    Path workDir;

    private static List<String> arguments(String worker, int concurrency) {
        return List.of(
                "--spring.profiles.active=postgres",
                AppProcess.ADMIN_KEY_ARGUMENT + ApiClient.TEST_ADMIN_KEY,
                "--GRADLAB_DB_HOST=localhost",
                "--GRADLAB_DB_PORT=" + EmbeddedPostgresServer.port(),
                "--GRADLAB_DB_NAME=" + EmbeddedPostgresServer.DATABASE,
                "--GRADLAB_DB_USER=" + EmbeddedPostgresServer.USER,
                "--GRADLAB_DB_PASSWORD=" + EmbeddedPostgresServer.PASSWORD,
                "--gradlab.jobs.worker-id=" + worker,
                "--gradlab.jobs.concurrency=" + concurrency,
                "--gradlab.jobs.heartbeat-interval=" + HEARTBEAT.toMillis() + "ms",
                "--gradlab.jobs.missed-heartbeats-limit=" + MISSED_HEARTBEATS,
                "--gradlab.jobs.polling-interval=200ms",
                "--gradlab.jobs.cancel-poll-interval=200ms",
                "--gradlab.metrics.flush-interval-ms=200");
    }

    record Attempt(String job, String worker, Instant start, Instant end) {}

    @Test
    void twoInstancesShareTheQueueAndTheSurvivorFinishesWhatAKilledOneWasRunning() throws SQLException {
        Map<String, Integer> concurrency = Map.of("scale-a", 1, "scale-b", 2);
        List<AppProcess> launched = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection(
                "jdbc:postgresql://localhost:" + EmbeddedPostgresServer.port() + "/" + EmbeddedPostgresServer.DATABASE,
                EmbeddedPostgresServer.USER,
                EmbeddedPostgresServer.PASSWORD)) {
            JdbcTemplate db = new JdbcTemplate(new SingleConnectionDataSource(connection, true));
            concurrency.forEach((worker, threads) ->
                    launched.add(AppProcess.launch(worker, "scale", workDir, arguments(worker, threads))));
            Map<String, AppProcess> instances = new HashMap<>();
            for (AppProcess p : launched) {
                instances.put(p.name(), p.awaitReady());
            }
            ApiClient a = instances.get("scale-a").api();
            ApiClient b = instances.get("scale-b").api();

            List<String> jobs = new ArrayList<>();
            jobs.add(a.submit(MEDIUM));
            jobs.add(b.submit(MEDIUM));
            for (int i = 0; i < 8; i++) {
                jobs.add((i % 2 == 0 ? a : b).submit(TINY));
            }
            String longOne = jobs.get(0);
            String victim = a.awaitJob(
                            longOne,
                            j -> j.get("status").asString().equals("RUNNING")
                                    && j.get("progress").get("iteration").asLong() >= 20,
                            Duration.ofSeconds(90))
                    .get("worker")
                    .asString();
            String survivor = victim.equals("scale-a") ? "scale-b" : "scale-a";

            assertThat(instances.get(victim).sigkill()).isEqualTo(AppProcess.SIGKILL_EXIT);
            Instant killedAt = Instant.now();
            // The dead instance writes nothing more, and no one takes its jobs for several seconds yet: its RUNNING
            // jobs are exactly the attempts it had in flight.
            Map<String, Attempt> inFlight = new HashMap<>();
            Map<String, Integer> inFlightAttempt = new HashMap<>();
            db.query(
                    "select id, attempt, started_at from job where status = 'RUNNING' and worker = ?",
                    rs -> {
                        String id = rs.getString(1);
                        inFlightAttempt.put(id, rs.getInt(2));
                        inFlight.put(
                                id, new Attempt(id, victim, rs.getTimestamp(3).toInstant(), killedAt));
                    },
                    victim);
            assertThat(inFlight).containsKey(longOne);

            Duration takeover = awaitTakeover(db, longOne, victim);
            System.out.printf(
                    "%s killed; its job %s released for takeover after %d ms%n", victim, longOne, takeover.toMillis());

            ApiClient api = instances.get(survivor).api();
            for (String id : jobs) {
                assertThat(api.awaitFinished(id, Duration.ofSeconds(120))
                                .get("status")
                                .asString())
                        .as("job %s", id)
                        .isEqualTo("SUCCEEDED");
            }

            List<Attempt> attempts = new ArrayList<>(inFlight.values());
            Map<String, Integer> ranOn = new HashMap<>();
            for (String id : jobs) {
                Map<String, Object> row = db.queryForMap(
                        "select attempt, worker, started_at, finished_at, " + "total_iterations from job where id = ?",
                        UUID.fromString(id));
                String worker = (String) row.get("worker");
                Instant start = ((java.sql.Timestamp) row.get("started_at")).toInstant();
                Instant end = ((java.sql.Timestamp) row.get("finished_at")).toInstant();
                attempts.add(new Attempt(id, worker, start, end));
                ranOn.merge(worker, 1, Integer::sum);
                int attempt = (Integer) row.get("attempt");
                if (inFlight.containsKey(id)) {
                    assertThat(attempt)
                            .as("job %s was running on the killed instance", id)
                            .isEqualTo(inFlightAttempt.get(id) + 1);
                    assertThat(worker).isEqualTo(survivor);
                    assertThat(start).as("rerun of %s after the kill", id).isAfterOrEqualTo(killedAt);
                } else {
                    assertThat(attempt).as("job %s ran once", id).isEqualTo(1);
                }
                if (worker.equals(victim)) {
                    assertThat(end).isBeforeOrEqualTo(killedAt);
                }
                long total = (Long) row.get("total_iterations");
                ProcessCrashIntegrationTest.assertEachIterationOnce(
                        api,
                        id,
                        total,
                        total == RestartIntegrationTest.MEDIUM_ITERATIONS ? RestartIntegrationTest.MEDIUM_EPOCHS : 2);
            }
            System.out.println("final attempts per instance: " + ranOn + "; killed mid-run: " + inFlight.keySet());
            concurrency.forEach((worker, limit) -> assertThat(maxInFlight(attempts, worker))
                    .as("attempts in flight at once on %s", worker)
                    .isBetween(1, limit));
            awaitEmptyQueue(db);
        } finally {
            launched.forEach(AppProcess::close);
        }
    }

    /**
     * How long after the kill until the dead instance's execution is released (or picked by the survivor). The
     * deadline only catches a takeover that never comes (expected: heartbeat × (limit + 2), 10 s here).
     */
    private static Duration awaitTakeover(JdbcTemplate db, String jobId, String victim) {
        long start = System.nanoTime();
        long deadline = start + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            List<String> pickedBy = db.queryForList(
                    "select coalesce(picked_by, '') from scheduled_tasks "
                            + "where task_name = 'train-job' and task_instance = ?",
                    String.class,
                    jobId);
            if (pickedBy.isEmpty() || !pickedBy.get(0).equals(victim)) {
                return Duration.ofNanos(System.nanoTime() - start);
            }
            AppProcess.sleep(50);
        }
        throw new AssertionError("job " + jobId + " was never taken over from " + victim);
    }

    /** The most attempts that overlapped in time on one instance (an end and a start at one instant don't). */
    static int maxInFlight(List<Attempt> attempts, String worker) {
        TreeMap<Instant, Integer> events = new TreeMap<>();
        for (Attempt a : attempts) {
            if (a.worker().equals(worker)) {
                events.merge(a.start(), 1, Integer::sum);
                events.merge(a.end(), -1, Integer::sum);
            }
        }
        int now = 0;
        int max = 0;
        for (int delta : events.values()) {
            now += delta;
            max = Math.max(max, now);
        }
        return max;
    }

    private static void awaitEmptyQueue(JdbcTemplate db) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (db.queryForObject("select count(*) from scheduled_tasks", Integer.class) > 0) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("executions left in scheduled_tasks: "
                        + db.queryForList("select task_instance, picked, picked_by from scheduled_tasks"));
            }
            AppProcess.sleep(100);
        }
    }
}
