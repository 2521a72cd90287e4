package dev.gradlab.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doAnswer;

import dev.gradlab.job.JobNotFoundException;
import dev.gradlab.job.JobService;
import dev.gradlab.job.JobStateException;
import dev.gradlab.metric.MetricRecorder;
import dev.gradlab.metric.MetricStore;
import dev.gradlab.metric.MetricWriter;
import dev.gradlab.training.EpochMetrics;
import dev.gradlab.training.IterationMetrics;
import dev.gradlab.training.LayerInfo;
import dev.gradlab.training.LayerStatistics;
import dev.gradlab.training.TrainingPlan;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.bean.override.mockito.MockitoSpyBean;
import org.springframework.transaction.CannotCreateTransactionException;
import tools.jackson.databind.JsonNode;

/**
 * Jobs that go wrong on their own, and a queue under pressure: a failure inside one job (out of memory, the
 * database refusing a write), an attempt over the wall-time limit, and an attempt that another instance has
 * taken over each end that attempt with a readable reason and leave the queue running; a full queue refuses
 * new jobs with 429 and keeps every job it accepted. The database being unavailable is not the job's fault: a
 * blip is waited out, a longer outage hands the job back to the queue. Faults are injected by job name through
 * spies on the real metric beans.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "gradlab.jobs.max-wall-time=8s",
            "gradlab.jobs.max-attempts=3",
            "gradlab.jobs.queue-capacity=3",
            "gradlab.jobs.queue-full-retry-after=7s",
            "gradlab.jobs.database-outage-tolerance=2s"
        })
@ActiveProfiles("test")
class JobFaultsIntegrationTest {

    static final String TINY = JobApiIntegrationTest.TINY;
    static final String LONG = JobApiIntegrationTest.LONG;

    @LocalServerPort
    int port;

    @Autowired
    JobService jobService;

    @Autowired
    JdbcTemplate jdbc;

    @MockitoSpyBean
    MetricWriter metricWriter;

    @MockitoSpyBean
    MetricStore metricStore;

    /** Jobs named "hold" wait on this before training starts (they are RUNNING meanwhile). */
    private CountDownLatch hold;

    /**
     * The attempt fence JobRunner hands the metric writer for a job named "fence" (its claim through
     * JobRepository.progress, for the attempt it started); that job's own run then waits like a "hold" job.
     */
    private CompletableFuture<MetricWriter.ProgressListener> fence;

    @BeforeEach
    void injectFaultsByJobName() {
        hold = new CountDownLatch(1);
        fence = new CompletableFuture<>();
        CountDownLatch held = hold;
        CompletableFuture<MetricWriter.ProgressListener> fenceOfJob = fence;
        doAnswer(call -> {
                    String name = nameOf(call.getArgument(0));
                    if ("oom".equals(name)) {
                        throw new OutOfMemoryError("Java heap space");
                    }
                    if ("hold".equals(name) || ("fence".equals(name) && fenceOfJob.complete(call.getArgument(2)))) {
                        held.await(60, TimeUnit.SECONDS);
                    }
                    return call.callRealMethod();
                })
                .when(metricWriter)
                .open(any(), any(), any());
        doAnswer(call -> {
                    UUID job = call.getArgument(0);
                    String name = nameOf(job);
                    if ("db-refuses".equals(name)) {
                        throw new DataIntegrityViolationException("value too long for column");
                    }
                    boolean blip = "db-blip".equals(name)
                            && unavailableCalls
                                            .computeIfAbsent(job, k -> new AtomicInteger())
                                            .incrementAndGet()
                                    <= 2;
                    boolean outage = "db-outage".equals(name)
                            && jobService
                                            .get(job, dev.gradlab.access.Caller.LOCAL_ADMIN)
                                            .attempt()
                                    == 1;
                    if (blip || outage) {
                        throw new CannotCreateTransactionException(
                                "Could not open JPA EntityManager for transaction",
                                new SQLTransientConnectionException(
                                        "HikariPool-1 - Connection is not available, request timed out after 2000ms"));
                    }
                    return call.callRealMethod();
                })
                .when(metricStore)
                .deleteJob(any(), any());
    }

    private final Map<UUID, AtomicInteger> unavailableCalls = new ConcurrentHashMap<>();

    /**
     * Ends every job a test left behind before the next one stubs the spies: Mockito's stubbing is not safe while
     * another thread calls the spied method (a job starting its attempt calls deleteJob), and the runs failed
     * with UnfinishedStubbingException when a previous test's job started during the next test's stubbing.
     */
    @AfterEach
    void release() {
        hold.countDown();
        for (String id : jdbc.queryForList("select id from job where status in ('QUEUED', 'RUNNING')", String.class)) {
            try {
                jobService.cancel(UUID.fromString(id), dev.gradlab.access.Caller.LOCAL_ADMIN);
            } catch (JobStateException finishedMeanwhile) {
                // it ended on its own
            }
        }
        api().awaitIdle(Duration.ofSeconds(60));
    }

    private String nameOf(UUID id) {
        try {
            return jobService.get(id, dev.gradlab.access.Caller.LOCAL_ADMIN).name();
        } catch (JobNotFoundException e) {
            return null;
        }
    }

    ApiClient api() {
        return new ApiClient(port);
    }

    static String named(String spec, String name) {
        return spec.replaceFirst("\"name\": \"[a-z]+\"", "\"name\": \"" + name + "\"");
    }

    @Test
    void aJobThatFailsEndsFailedWithAReadableReasonAndTheNextOneRuns() {
        String oom = api().submit(named(TINY, "oom"));
        String dbDown = api().submit(named(TINY, "db-refuses"));
        String next = api().submit(TINY);

        JsonNode outOfMemory = api().awaitFinished(oom, Duration.ofSeconds(60));
        assertThat(outOfMemory.get("status").asString()).isEqualTo("FAILED");
        assertThat(outOfMemory.get("error").asString()).isEqualTo("training failed (out of memory): Java heap space");
        JsonNode refused = api().awaitFinished(dbDown, Duration.ofSeconds(60));
        assertThat(refused.get("status").asString()).isEqualTo("FAILED");
        assertThat(refused.get("error").asString())
                .isEqualTo("training failed (data integrity violation): value too long for column");
        assertThat(refused.get("finishedAt").isNull()).isFalse();

        assertThat(api().awaitFinished(next, Duration.ofSeconds(60))
                        .get("status")
                        .asString())
                .isEqualTo("SUCCEEDED");
        assertThat(api().get("/actuator/health").status()).isEqualTo(200);
    }

    /**
     * What the stack throws while the connection pool cannot reach the database: a blip (two failed tries) is
     * waited out by the same attempt; an outage longer than the tolerance (2 s here) hands the job back to the
     * queue, and its next attempt succeeds. Neither is FAILED: the job did nothing wrong.
     */
    @Test
    void aDatabaseOutageIsWaitedOutOrHandsTheJobBackButNeverFailsIt() {
        // The first job of a JVM loads ND4J (seconds, on a busy machine), which counts against this class's 8 s
        // wall-time limit: let another job pay for it.
        api().awaitFinished(api().submit(TINY), Duration.ofSeconds(60));
        String blip = api().submit(named(TINY, "db-blip"));
        JsonNode waited = api().awaitFinished(blip, Duration.ofSeconds(60));
        assertThat(waited.get("status").asString()).isEqualTo("SUCCEEDED");
        assertThat(waited.get("attempt").asInt()).as("the same attempt waited").isEqualTo(1);
        assertThat(unavailableCalls.get(UUID.fromString(blip))).hasValue(3);

        String outage = api().submit(named(TINY, "db-outage"));
        JsonNode requeued = api().awaitFinished(outage, Duration.ofSeconds(60));
        assertThat(requeued.get("status").asString()).isEqualTo("SUCCEEDED");
        assertThat(requeued.get("attempt").asInt())
                .as("handed back, then run again")
                .isEqualTo(2);
        assertThat(requeued.has("error")).as("no error: it did not fail").isFalse();
        ProcessCrashIntegrationTest.assertEachIterationOnce(api(), outage, 10, 2);
    }

    @Test
    void anAttemptOverTheWallTimeLimitEndsFailedAndKeepsItsCurves() {
        String id = api().submit(LONG); // minutes of training, against an 8 s limit
        JsonNode job = api().awaitFinished(id, Duration.ofSeconds(60));
        assertThat(job.get("status").asString()).isEqualTo("FAILED");
        long iterations = job.get("progress").get("iteration").asLong();
        assertThat(iterations)
                .isPositive()
                .isLessThan(job.get("progress").get("totalIterations").asLong());
        assertThat(job.get("error").asString())
                .isEqualTo("exceeded the wall-time limit of 8s " + "(gradlab.jobs.max-wall-time) after " + iterations
                        + " iterations");
        assertThat(Duration.between(
                        Instant.parse(job.get("startedAt").asString()),
                        Instant.parse(job.get("finishedAt").asString())))
                .isGreaterThanOrEqualTo(Duration.ofSeconds(8));

        JsonNode loss =
                api().get("/api/v1/jobs/" + id + "/curves/loss?maxPoints=20000").json();
        assertThat(loss.get("totalPoints").asLong()).isEqualTo(iterations);
        assertThat(loss.get("iterations").get((int) iterations - 1).asLong()).isEqualTo(iterations);

        assertThat(api().awaitFinished(api().submit(TINY), Duration.ofSeconds(60))
                        .get("status")
                        .asString())
                .isEqualTo("SUCCEEDED");
    }

    /**
     * What an instance that was given up for dead sees when it comes back: the job's attempt number has moved
     * on (here the test moves it, as another instance's claim would, while the run waits just before training).
     * The stale run trains until its first metric write is refused, stops, and leaves the job and its curves
     * alone.
     */
    @Test
    void anAttemptTakenOverByAnotherStopsAndChangesNothing() {
        String id = api().submit(named(LONG, "hold")); // minutes of training if nothing stopped it
        UUID uuid = UUID.fromString(id);
        api().awaitJob(id, j -> j.get("status").asString().equals("RUNNING"), Duration.ofSeconds(30));
        try {
            assertThat(jdbc.update("update job set attempt = attempt + 1 where id = ?", uuid))
                    .isOne();
            hold.countDown();

            // One training thread: the next job can only run once the superseded run has let go of it.
            String next = api().submit(TINY);
            assertThat(api().awaitFinished(next, Duration.ofSeconds(60))
                            .get("status")
                            .asString())
                    .isEqualTo("SUCCEEDED");

            JsonNode job = api().get("/api/v1/jobs/" + id).json();
            assertThat(job.get("status").asString())
                    .as("only the new attempt may end it")
                    .isEqualTo("RUNNING");
            assertThat(job.get("attempt").asInt()).isEqualTo(2);
            assertThat(job.get("progress").get("iteration").asLong())
                    .as("no progress from the old run")
                    .isZero();
            assertThat(lossPoints(id)).as("no points from the old run").isZero();
            assertThat(jdbc.queryForObject("select count(*) from metric_chunk where job_id = ?", Integer.class, uuid))
                    .isZero();
        } finally {
            jdbc.update("update job set status = 'CANCELLED' where id = ?", uuid);
        }
    }

    /**
     * The write path's own fence, the real one: the claim JobRunner gave the metric writer for a running job's
     * attempt. Points written under it are stored while the attempt is current; once a takeover has raised the
     * attempt in the job table, the same recorder's next batch (more points, an epoch) is refused and stores
     * nothing: the curves and the job's progress stay where the takeover found them.
     */
    @Test
    void aMetricWriteWhoseAttemptWasSupersededStoresNothing() throws Exception {
        String id = api().submit(named(TINY, "fence"));
        UUID job = UUID.fromString(id);
        MetricWriter.ProgressListener claim = fence.get(30, TimeUnit.SECONDS); // the job is RUNNING, attempt 1
        try {
            MetricRecorder recorder = metricWriter.open(job, claim);
            recorder.onStart(new TrainingPlan(List.of(new LayerInfo(0, "dense1", "dense")), 10, 5, 100));
            for (long i = 1; i <= 3; i++) {
                recorder.onIteration(iteration(i));
            }
            // close() flushes and waits for the writer; the recorder stays usable for the same attempt's next batch.
            recorder.close();
            assertThat(lossPoints(id))
                    .as("written while the attempt is current")
                    .isEqualTo(3);
            int stored = storedPoints(job); // the loss and the layer's series, 3 points each
            assertThat(stored).isGreaterThan(3).isEqualTo(stored / 3 * 3);
            assertThat(progress(id)).isEqualTo(3);

            assertThat(jdbc.update("update job set attempt = attempt + 1 where id = ?", job))
                    .isOne(); // a takeover
            for (long i = 4; i <= 6; i++) {
                recorder.onIteration(iteration(i));
            }
            recorder.onEpoch(new EpochMetrics(1, 6, 0.5, 0.5, 10));
            Throwable refused = catchThrowable(recorder::close);

            assertThat(lossPoints(id))
                    .as("no points from the superseded attempt")
                    .isEqualTo(3);
            assertThat(storedPoints(job)).isEqualTo(stored);
            assertThat(jdbc.queryForObject("select count(*) from epoch_metric where job_id = ?", Integer.class, job))
                    .isZero();
            assertThat(progress(id))
                    .as("its progress claim changed nothing either")
                    .isEqualTo(3);
            assertThat(refused).hasMessageContaining("taken over by another attempt");
            assertThat(recorder.failed()).isTrue();
        } finally {
            jdbc.update("update job set status = 'CANCELLED' where id = ?", job);
        }
    }

    private static IterationMetrics iteration(long i) {
        return new IterationMetrics(
                i, 1, 0.5, List.of(new LayerStatistics(0, 1.0, 0.5, null, null, 0.01, 0.5, 0.2, null, null)));
    }

    /** Points of every series of the job, as stored. */
    private int storedPoints(UUID job) {
        return jdbc.queryForObject(
                "select coalesce(sum(point_count), 0) from metric_chunk where job_id = ?", Integer.class, job);
    }

    private long progress(String id) {
        return api().get("/api/v1/jobs/" + id)
                .json()
                .get("progress")
                .get("iteration")
                .asLong();
    }

    private long lossPoints(String id) {
        return api().get("/api/v1/jobs/" + id + "/curves/loss?maxPoints=20000")
                .json()
                .get("totalPoints")
                .asLong();
    }

    /** A job whose every attempt died with its instance (say it crashes the JVM) is not started forever. */
    @Test
    void aJobStartedMaxAttemptsTimesWithoutFinishingIsGivenUp() {
        String held = api().submit(named(TINY, "hold"));
        api().awaitJob(held, j -> j.get("status").asString().equals("RUNNING"), Duration.ofSeconds(30));
        String doomed = api().submit(TINY);
        // as if three instances had started it and died
        assertThat(jdbc.update(
                        "update job set attempt = 3 where id = ? and status = 'QUEUED'", UUID.fromString(doomed)))
                .isOne();
        String next = api().submit(TINY);
        hold.countDown();

        JsonNode job = api().awaitFinished(doomed, Duration.ofSeconds(60));
        assertThat(job.get("status").asString()).isEqualTo("FAILED");
        assertThat(job.get("attempt").asInt()).isEqualTo(3);
        assertThat(job.get("error").asString())
                .isEqualTo("started 3 times without finishing: its instance crashed "
                        + "or stopped each time (gradlab.jobs.max-attempts)");
        assertThat(api().awaitFinished(next, Duration.ofSeconds(60))
                        .get("status")
                        .asString())
                .isEqualTo("SUCCEEDED");
    }

    @Test
    void aFullQueueAnswers429WithRetryAfterAndKeepsWhatItAccepted() {
        String held = api().submit(named(TINY, "hold"));
        api().awaitJob(held, j -> j.get("status").asString().equals("RUNNING"), Duration.ofSeconds(30));
        String key = "full-" + UUID.randomUUID();
        String first = api().submit(TINY);
        String second = api().submit(TINY);
        ApiClient.Reply third = api().post("/api/v1/jobs", TINY, "application/json", key);
        assertThat(third.status()).isEqualTo(202);

        ApiClient.Reply refused = api().post("/api/v1/jobs", TINY);
        assertThat(refused.status()).as(refused.body()).isEqualTo(429);
        assertThat(refused.header("Retry-After")).isEqualTo("7");
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(refused.json().get("code").asString()).isEqualTo("queue-full");
        assertThat(refused.json().get("status").asInt()).isEqualTo(429);
        assertThat(refused.json().get("detail").asString()).contains("gradlab.jobs.queue-capacity = 3");

        // A retry of an accepted request is not a new job: it is answered, full queue or not.
        ApiClient.Reply replay = api().post("/api/v1/jobs", TINY, "application/json", key);
        assertThat(replay.status()).isEqualTo(202);
        assertThat(replay.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(replay.json().get("id").asString())
                .isEqualTo(third.json().get("id").asString());
        assertThat(api().get("/api/v1/jobs?status=QUEUED").json().get("total").asLong())
                .isEqualTo(3);

        hold.countDown();
        api().awaitFinished(held, Duration.ofSeconds(60));
        for (String id : new String[] {first, second, third.json().get("id").asString()}) {
            assertThat(api().awaitFinished(id, Duration.ofSeconds(60))
                            .get("status")
                            .asString())
                    .isEqualTo("SUCCEEDED");
        }
        ApiClient.Reply again = api().post("/api/v1/jobs", TINY);
        assertThat(again.status()).as("room again").isEqualTo(202);
        api().awaitFinished(again.json().get("id").asString(), Duration.ofSeconds(60));
    }
}
