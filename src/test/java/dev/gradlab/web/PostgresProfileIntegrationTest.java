package dev.gradlab.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gradlab.GradLabApplication;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The {@code postgres} profile against a real PostgreSQL server: Flyway's PostgreSQL migration, the job table
 * through JPA, metric chunks as bytea (NaN included), and db-scheduler's queue, all driven over HTTP.
 * <p>
 * Profiles {@code test, postgres} in that order: the test profile's short polling intervals, and the postgres
 * profile's datasource (the later profile wins), fed the server's address through its GRADLAB_DB_* placeholders.
 */
@ExtendWith(EmbeddedPostgresServer.class) // first, so that the server outlives the application context
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles({"test", "postgres"})
@DirtiesContext // closes the context after this class, while its server still runs
class PostgresProfileIntegrationTest {

    static final String TINY = JobApiIntegrationTest.TINY;

    /** Linear 12-layer net, large init, SGD at rate 1: the loss overflows within a few iterations. */
    static final String EXPLODING = """
            {"model": {"depth": 12, "width": 32, "activation": "identity", "weightInit": "normal", "initScale": 0.5},
             "dataset": {"name": "gaussians", "samples": 200},
             "training": {"optimizer": "sgd", "learningRate": 1.0, "batchSize": 32, "epochs": 5}}""";

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("GRADLAB_DB_HOST", () -> "localhost");
        registry.add("GRADLAB_DB_PORT", EmbeddedPostgresServer::port);
        registry.add("GRADLAB_DB_NAME", () -> EmbeddedPostgresServer.DATABASE);
        registry.add("GRADLAB_DB_USER", () -> EmbeddedPostgresServer.USER);
        registry.add("GRADLAB_DB_PASSWORD", () -> EmbeddedPostgresServer.PASSWORD);
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    io.micrometer.core.instrument.MeterRegistry meters;

    ApiClient api() {
        return new ApiClient(port).withKey(ApiClient.TEST_ADMIN_KEY); // the postgres profile requires keys
    }

    @Test
    void flywayCreatedThePostgresqlSchema() {
        assertThat(jdbc.queryForObject("select version()", String.class)).startsWith("PostgreSQL");
        assertThat(jdbc.queryForObject("select current_database() || '/' || current_user", String.class))
                .isEqualTo("gradlab/gradlab");
        assertThat(jdbc.queryForList("select version from flyway_schema_history where success", String.class))
                .contains("1", "2");
        assertThat(jdbc.queryForObject("select count(*) from flyway_schema_history where not success", Integer.class))
                .isZero();
        // the PostgreSQL migration ran, not the H2 one
        assertThat(columnType("metric_chunk", "points")).isEqualTo("bytea");
        assertThat(columnType("scheduled_tasks", "task_data")).isEqualTo("bytea");
        assertThat(columnType("timestep_gradient", "norms")).isEqualTo("bytea");
        assertThat(columnType("job", "spec")).isEqualTo("text");
        assertThat(columnType("job", "id")).isEqualTo("uuid");
        assertThat(columnType("job", "created_at")).isEqualTo("timestamp with time zone");
    }

    @Test
    void jobSucceedsAndItsCurvesComeBackFromPostgresql() {
        String id = api().submit(TINY);
        JsonNode done = api().awaitFinished(id, Duration.ofSeconds(60));
        assertThat(done.get("status").asString()).isEqualTo("SUCCEEDED");
        assertThat(done.get("progress").get("iteration").asLong()).isEqualTo(10); // 160 training points / 32 × 2
        assertThat(done.get("result").get("finalLoss").isNumber()).isTrue();
        assertThat(done.get("startedAt").isNull()).isFalse();
        assertThat(done.get("finishedAt").isNull()).isFalse();
        assertThat(done.get("attempt").asInt()).isEqualTo(1);

        JsonNode loss = api().get("/api/v1/jobs/" + id + "/curves/loss").json();
        assertThat(loss.get("totalPoints").asInt()).isEqualTo(10);
        assertThat(loss.get("iterations").toString()).isEqualTo("[1,2,3,4,5,6,7,8,9,10]");
        assertThat(loss.get("values").size()).isEqualTo(10);
        loss.get("values").forEach(v -> assertThat(v.isNumber()).isTrue());
        assertThat(loss.get("nonFinite").size()).isZero();
        assertThat(loss.get("epochs").get("epochs").size()).isEqualTo(2);

        JsonNode grads = api().get("/api/v1/jobs/" + id + "/curves/gradients").json();
        assertThat(grads.get("iterations").size()).isEqualTo(10);
        JsonNode layers = grads.get("layers");
        assertThat(layers.size()).isEqualTo(countRows("metric_layer", id)).isPositive();
        assertThat(layers.get(0).get("name").asString()).isEqualTo("dense1");
        assertThat(layers.get(layers.size() - 1).get("kind").asString()).isEqualTo("output");
        for (JsonNode layer : layers) {
            assertThat(layer.get("norms").size()).isEqualTo(10);
            layer.get("norms").forEach(v -> assertThat(v.asDouble()).isPositive());
        }
        assertThat(countRows("metric_chunk", id)).isPositive();
        await(() -> queuedTask(id) == 0, "a finished job leaves db-scheduler's queue");
    }

    @Test
    void divergedJobKeepsItsNonFiniteLossThroughPostgresql() {
        String id = api().submit(EXPLODING);
        JsonNode done = api().awaitFinished(id, Duration.ofSeconds(60));
        assertThat(done.get("status").asString()).isEqualTo("DIVERGED");
        JsonNode divergence = done.get("result").get("divergence");
        assertThat(divergence).isNotNull();
        assertThat(divergence.get("iteration").asLong()).isPositive();

        JsonNode loss =
                api().get("/api/v1/jobs/" + id + "/curves/loss?maxPoints=20000").json();
        assertThat(loss.get("totalPoints").asLong())
                .isEqualTo(loss.get("iterations").size());
        JsonNode nonFinite = loss.get("nonFinite");
        assertThat(nonFinite.size())
                .as("the non-finite loss is stored and read back")
                .isPositive();
        List<String> spelled = new ArrayList<>();
        for (JsonNode n : nonFinite) {
            int position = n.get("position").asInt();
            assertThat(loss.get("values").get(position).isNull()).isTrue();
            spelled.add(n.get("value").asString());
        }
        assertThat(spelled).contains("NaN");

        // The final loss is a real NaN in a double precision column, not a null or a string; the API leaves the
        // field out and spells it in nonFinite.
        assertThat(done.get("result").has("finalLoss")).isFalse();
        assertThat(done.get("result").get("nonFinite").toString())
                .isEqualTo("[{\"field\":\"finalLoss\",\"value\":\"NaN\"}]");
        assertThat(jdbc.queryForObject(
                        "select final_loss = 'NaN'::float8 from job where id = ?", Boolean.class, UUID.fromString(id)))
                .isTrue();
    }

    @Test
    void recurrentJobStoresItsGradientsThroughTime() {
        String id = api().submit("""
                {"model": {"type": "rnn", "width": 16, "recurrentScale": 0.5},
                 "dataset": {"name": "remember-first", "samples": 200, "sequenceLength": 30},
                 "training": {"optimizer": "sgd", "learningRate": 0.05, "batchSize": 40, "epochs": 2,
                              "gradientClipping": {"mode": "clipL2PerLayer", "threshold": 1.0}},
                 "metrics": {"every": 3}}""");
        assertThat(api().awaitFinished(id, Duration.ofSeconds(60)).get("status").asString())
                .isEqualTo("SUCCEEDED");

        JsonNode iterations =
                api().get("/api/v1/jobs/" + id + "/curves/timesteps/iterations").json();
        assertThat(iterations.get("iterations").toString()).isEqualTo("[1,4,7,8]");
        assertThat(countRows("timestep_gradient", id)).isEqualTo(4);
        JsonNode last = api().get("/api/v1/jobs/" + id + "/curves/timesteps?iteration=8")
                .json();
        assertThat(last.get("norms").size()).isEqualTo(30);
        last.get("norms").forEach(v -> assertThat(v.asDouble()).isPositive());
        assertThat(api().get("/api/v1/jobs/" + id + "/curves/timesteps?iteration=5")
                        .status())
                .isEqualTo(404);

        JsonNode recurrent = api().get("/api/v1/jobs/" + id + "/curves/gradients?stat=recurrentWeightGradientNorm")
                .json()
                .get("layers")
                .get(0);
        assertThat(recurrent.get("kind").asString()).isEqualTo("recurrent");
        assertThat(recurrent.get("norms").size()).isEqualTo(4);
    }

    /** Flyway's V5 on PostgreSQL: a study and its jobs in one transaction, read back with its table. */
    @Test
    void aStudyAndItsJobsLiveInPostgresql() {
        assertThat(jdbc.queryForList("select version from flyway_schema_history where success", String.class))
                .contains("5");
        assertThat(columnType("study", "base_spec")).isEqualTo("text");
        assertThat(columnType("job", "study_id")).isEqualTo("uuid");
        ApiClient.Reply created = api().post("/api/v1/studies", """
                {"name": "pg study",
                 "base": {"model": {"depth": 3, "width": 8}, "dataset": {"name": "gaussians", "samples": 200},
                          "training": {"optimizer": "adam", "learningRate": 0.01, "batchSize": 32, "epochs": 2}},
                 "vary": {"model.width": [4, 8]}, "repeats": 2, "targetLoss": 5.0}""");
        assertThat(created.status()).as(created.body()).isEqualTo(202);
        String id = created.json().get("id").asString();
        assertThat(jdbc.queryForObject(
                        "select count(*) from job where study_id = ?", Integer.class, UUID.fromString(id)))
                .isEqualTo(4);
        JsonNode study = api().awaitStudy(id, Duration.ofSeconds(120));
        assertThat(study.get("status").asString()).isEqualTo("FINISHED");
        assertThat(study.get("jobs").get("SUCCEEDED").asLong()).isEqualTo(4);
        for (JsonNode row : study.get("variants")) {
            assertThat(row.get("completed").asInt()).isEqualTo(2);
            assertThat(row.get("bestTestAccuracy").get("n").asInt()).isEqualTo(2);
            // Any untrained net's loss is below 5: reached at the first iteration.
            assertThat(row.get("iterationsToTargetLoss").get("median").asDouble())
                    .isEqualTo(1.0);
        }
        JsonNode jobs = api().get("/api/v1/jobs?studyId=" + id).json();
        assertThat(jobs.get("total").asLong()).isEqualTo(4);
        assertThat(api().get("/api/v1/studies")
                        .json()
                        .get("items")
                        .get(0)
                        .get("id")
                        .asString())
                .isEqualTo(id);
    }

    @Test
    void idempotencyKeyReplaysTheFirstJob() {
        String key = "pg-retry-" + UUID.randomUUID();
        ApiClient.Reply first = api().post("/api/v1/jobs", TINY, "application/json", key);
        ApiClient.Reply second = api().post("/api/v1/jobs", TINY, "application/json", key);
        assertThat(first.status()).isEqualTo(202);
        assertThat(second.status()).isEqualTo(202);
        String id = first.json().get("id").asString();
        assertThat(second.json().get("id").asString()).isEqualTo(id);
        assertThat(second.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(first.header("Idempotent-Replayed")).isNull();
        ApiClient.Reply other =
                api().post("/api/v1/jobs", TINY.replace("\"tiny\"", "\"other\""), "application/json", key);
        assertThat(other.status()).isEqualTo(422);
        assertThat(other.contentType()).startsWith("application/problem+json");
        assertThat(jdbc.queryForObject("select count(*) from job where idempotency_key = ?", Integer.class, key))
                .isOne();
        assertThat(api().awaitFinished(id, Duration.ofSeconds(60)).get("status").asString())
                .isEqualTo("SUCCEEDED");
    }

    /**
     * Concurrent retries: the losers' inserts hit the unique key and roll back, and they replay the winner's job.
     * The job waits behind a long one meanwhile, so that db-scheduler's table shows exactly what the race left:
     * the winner's execution, committed with its row, and none from the losers.
     */
    @Test
    void concurrentRetriesWithOneIdempotencyKeyCreateOneJob() throws Exception {
        String busy = api().submit(JobApiIntegrationTest.LONG); // holds the only training thread
        awaitTraining(api(), busy);
        int executionsBefore = trainTasks();
        String key = "pg-race-" + UUID.randomUUID();
        ExecutorService clients = Executors.newFixedThreadPool(8);
        List<Future<ApiClient.Reply>> replies = new ArrayList<>();
        try {
            for (int i = 0; i < 8; i++) {
                replies.add(clients.submit(() -> api().post("/api/v1/jobs", TINY, "application/json", key)));
            }
            Set<String> ids = new HashSet<>();
            int created = 0;
            for (Future<ApiClient.Reply> f : replies) {
                ApiClient.Reply r = f.get(60, TimeUnit.SECONDS);
                assertThat(r.status()).as(r.body()).isEqualTo(202);
                ids.add(r.json().get("id").asString());
                created += r.header("Idempotent-Replayed") == null ? 1 : 0;
            }
            assertThat(ids).hasSize(1);
            assertThat(created).isOne();
            String id = ids.iterator().next();
            assertThat(jdbc.queryForObject("select count(*) from job where idempotency_key = ?", Integer.class, key))
                    .isOne();
            assertThat(api().get("/api/v1/jobs/" + id).json().get("status").asString())
                    .isEqualTo("QUEUED");
            assertThat(queuedTask(id)).as("the winner's execution").isOne();
            assertThat(trainTasks()).as("executions the race added").isEqualTo(executionsBefore + 1);
            assertThat(jdbc.queryForObject(
                            "select count(*) from scheduled_tasks t where t.task_name = 'train-job' "
                                    + "and not exists (select 1 from job j where cast(j.id as text) = t.task_instance)",
                            Integer.class))
                    .as("executions without a job")
                    .isZero();

            assertThat(api().post("/api/v1/jobs/" + busy + "/cancel", null, null, null)
                            .status())
                    .isEqualTo(200);
            assertThat(api().awaitFinished(id, Duration.ofSeconds(60))
                            .get("status")
                            .asString())
                    .isEqualTo("SUCCEEDED");
        } finally {
            clients.shutdownNow();
            api().post("/api/v1/jobs/" + busy + "/cancel", null, null, null);
        }
    }

    @Test
    void namesRoundTripAndNulIsRefusedNotA500() {
        String name = "Ünïcode 深度 \uD83D\uDE80 'quoted'";
        ApiClient.Reply r = api().post("/api/v1/jobs", TINY.replace("\"tiny\"", "\"" + name + "\""));
        assertThat(r.status()).as(r.body()).isEqualTo(202);
        String id = r.json().get("id").asString();
        assertThat(api().get("/api/v1/jobs/" + id).json().get("name").asString())
                .isEqualTo(name);

        // PostgreSQL text cannot hold NUL: the API refuses it up front, as it does on H2.
        ApiClient.Reply nul = api().post("/api/v1/jobs", TINY.replace("\"tiny\"", "\"a\\u0000b\""));
        assertThat(nul.status()).as(nul.body()).isEqualTo(400);
        assertThat(nul.contentType()).startsWith("application/problem+json");
        api().awaitFinished(id, Duration.ofSeconds(60));
    }

    @Test
    void queuedJobsWaitInScheduledTasksAndOneIsCancelledThere() {
        String running = api().submit(JobApiIntegrationTest.LONG);
        String cancelled = api().submit(TINY); // both wait behind the long job (one training thread)
        String next = api().submit(TINY);
        JsonNode started = api().awaitJob(
                        running,
                        j -> j.get("status").asString().equals("RUNNING")
                                && j.get("progress").get("iteration").asLong() > 0,
                        Duration.ofSeconds(60));

        // Accepted jobs are rows of db-scheduler's table; the running one is picked by this instance.
        assertThat(jdbc.queryForObject(
                        "select picked_by from scheduled_tasks where task_name = 'train-job' "
                                + "and task_instance = ? and picked",
                        String.class,
                        running))
                .isEqualTo(started.get("worker").asString());
        assertThat(queuedTask(cancelled)).isOne();
        assertThat(queuedTask(next)).isOne();
        assertThat(api().get("/api/v1/jobs/" + cancelled).json().get("status").asString())
                .isEqualTo("QUEUED");
        // Places in the queue, from PostgreSQL's scheduled_tasks: next waits right behind the one to be cancelled.
        int place = queuePosition(cancelled);
        assertThat(place).isPositive();
        assertThat(queuePosition(next)).isEqualTo(place + 1);

        ApiClient.Reply cancel = api().post("/api/v1/jobs/" + cancelled + "/cancel", null, null, null);
        assertThat(cancel.status()).isEqualTo(200);
        assertThat(cancel.json().get("status").asString()).isEqualTo("CANCELLED");
        assertThat(queuePosition(next)).as("moved up").isEqualTo(place);
        assertThat(queuedTask(cancelled))
                .as("cancelling a queued job removes it from the queue")
                .isZero();

        assertThat(api().post("/api/v1/jobs/" + running + "/cancel", null, null, null)
                        .status())
                .isEqualTo(200);
        assertThat(api().awaitFinished(running, Duration.ofSeconds(60))
                        .get("status")
                        .asString())
                .isEqualTo("CANCELLED");
        assertThat(api().awaitFinished(next, Duration.ofSeconds(60))
                        .get("status")
                        .asString())
                .isEqualTo("SUCCEEDED");
        JsonNode never = api().get("/api/v1/jobs/" + cancelled).json();
        assertThat(never.get("status").asString()).isEqualTo("CANCELLED");
        assertThat(never.has("startedAt")).isFalse();
        assertThat(never.get("attempt").asInt()).isZero();
        await(() -> queuedTask(running) == 0 && queuedTask(next) == 0, "finished jobs leave scheduled_tasks");

        JsonNode list = api().get("/api/v1/jobs?size=3").json();
        assertThat(list.get("items").get(0).get("id").asString()).isEqualTo(next);
        assertThat(list.get("items").get(1).get("id").asString()).isEqualTo(cancelled);
        JsonNode cancelledOnly =
                api().get("/api/v1/jobs?status=CANCELLED&size=100").json();
        List<String> cancelledIds = new ArrayList<>();
        cancelledOnly.get("items").forEach(j -> {
            assertThat(j.get("status").asString()).isEqualTo("CANCELLED");
            cancelledIds.add(j.get("id").asString());
        });
        assertThat(cancelledIds).contains(running, cancelled);
        assertThat(cancelledOnly.get("total").asLong()).isEqualTo(cancelledIds.size());
    }

    /**
     * Two instances on one database, as the postgres profile allows: a job trains on the one that picked it from
     * the shared queue; when that instance shuts down, the job goes back on the queue and the other one runs it.
     */
    @Test
    void secondInstanceSharesTheQueueAndHandsItsJobBackOnShutdown() {
        // Occupy this instance's only training thread, so that the next job can only go to the second instance.
        String busy = api().submit(JobApiIntegrationTest.LONG);
        String here = awaitTraining(api(), busy).get("worker").asString();
        String moved;
        try (ConfigurableApplicationContext second = startSecondInstance()) {
            ApiClient other = new ApiClient(
                            second.getEnvironment().getRequiredProperty("local.server.port", Integer.class))
                    .withKey(ApiClient.TEST_ADMIN_KEY);
            moved = other.submit(JobApiIntegrationTest.LONG);
            assertThat(awaitTraining(other, moved).get("worker").asString()).isEqualTo(SECOND_WORKER);
            assertThat(api().get("/api/v1/jobs/" + moved).json().get("status").asString())
                    .isEqualTo("RUNNING");
        }
        assertThat(jdbc.queryForObject("select status from job where id = ?", String.class, UUID.fromString(moved)))
                .isEqualTo("QUEUED");
        Map<String, Object> task = jdbc.queryForMap(
                "select picked, picked_by, consecutive_failures, last_failure "
                        + "from scheduled_tasks where task_name = 'train-job' and task_instance = ?",
                moved);
        assertThat(task.get("picked")).as("released for any instance: %s", task).isEqualTo(false);
        assertThat(task.get("picked_by")).isNull();
        assertThat(task.get("consecutive_failures")).isEqualTo(1);
        assertThat(task.get("last_failure")).isNotNull();

        assertThat(api().post("/api/v1/jobs/" + busy + "/cancel", null, null, null)
                        .status())
                .isEqualTo(200);
        JsonNode resumed = api().awaitJob(
                        moved,
                        j -> j.get("status").asString().equals("RUNNING")
                                && j.get("worker").asString().equals(here),
                        Duration.ofSeconds(30));
        assertThat(resumed.get("attempt").asInt()).isEqualTo(2);
        assertThat(api().post("/api/v1/jobs/" + moved + "/cancel", null, null, null)
                        .status())
                .isEqualTo(200);
        assertThat(api().awaitFinished(moved, Duration.ofSeconds(60))
                        .get("status")
                        .asString())
                .isEqualTo("CANCELLED");
    }

    /**
     * A study is rows in the shared database, not state of the instance that created it: created here while this
     * instance is busy, its jobs train on the second instance, and both answer the same table.
     */
    @Test
    void aStudyCreatedOnOneInstanceRunsOnAnotherAndReadsTheSameOnBoth() {
        String busy = api().submit(JobApiIntegrationTest.LONG);
        awaitTraining(api(), busy);
        try (ConfigurableApplicationContext second = startSecondInstance()) {
            ApiClient other = new ApiClient(
                            second.getEnvironment().getRequiredProperty("local.server.port", Integer.class))
                    .withKey(ApiClient.TEST_ADMIN_KEY);
            ApiClient.Reply created = api().post("/api/v1/studies", """
                    {"base": {"model": {"depth": 3, "width": 8}, "dataset": {"name": "gaussians", "samples": 200},
                              "training": {"batchSize": 32, "epochs": 2}},
                     "vary": {"model.batchNorm": [false, true]}}""");
            assertThat(created.status()).as(created.body()).isEqualTo(202);
            String id = created.json().get("id").asString();
            JsonNode there = other.awaitStudy(id, Duration.ofSeconds(120));
            assertThat(there.get("status").asString()).isEqualTo("FINISHED");
            for (JsonNode job : other.get("/api/v1/jobs?studyId=" + id).json().get("items")) {
                assertThat(job.get("worker").asString()).isEqualTo(SECOND_WORKER);
            }
            JsonNode here = api().get("/api/v1/studies/" + id).json();
            assertThat(here.get("variants")).isEqualTo(there.get("variants"));
            assertThat(here.get("jobs")).isEqualTo(there.get("jobs"));
        } finally {
            api().post("/api/v1/jobs/" + busy + "/cancel", null, null, null);
        }
        api().awaitFinished(busy, Duration.ofSeconds(60));
    }

    static final String SECOND_WORKER = "second-instance";

    /** Another GradLab on the same database, configured as this one (command-line arguments beat the env). */
    private ConfigurableApplicationContext startSecondInstance() {
        return new SpringApplicationBuilder(GradLabApplication.class)
                .profiles("test", "postgres")
                .run(
                        "--server.port=0",
                        "--gradlab.jobs.worker-id=" + SECOND_WORKER,
                        "--GRADLAB_DB_HOST=localhost",
                        "--GRADLAB_DB_PORT=" + EmbeddedPostgresServer.port(),
                        "--GRADLAB_DB_NAME=" + EmbeddedPostgresServer.DATABASE,
                        "--GRADLAB_DB_USER=" + EmbeddedPostgresServer.USER,
                        "--GRADLAB_DB_PASSWORD=" + EmbeddedPostgresServer.PASSWORD);
    }

    private int queuePosition(String id) {
        JsonNode job = api().get("/api/v1/jobs/" + id).json();
        assertThat(job.get("status").asString()).isEqualTo("QUEUED");
        return job.get("queuePosition").asInt();
    }

    private static JsonNode awaitTraining(ApiClient client, String id) {
        return client.awaitJob(
                id,
                j -> j.get("status").asString().equals("RUNNING")
                        && j.get("progress").get("iteration").asLong() > 0,
                Duration.ofSeconds(60));
    }

    /**
     * A user's upload through PostgreSQL: V7's bytea blocks, the dataset read back, a job that trains on it (any
     * instance sharing the database could), dedupe by the unique hash, and the delete that the job's foreign key
     * guards.
     */
    @Test
    void anUploadIsStoredInPostgresqlAndAJobTrainsOnIt() {
        assertThat(columnType("uploaded_dataset_block", "features")).isEqualTo("bytea");
        assertThat(columnType("job", "dataset_id")).isEqualTo("uuid");
        ApiClient api = api();
        String csv = DatasetApiIntegrationTest.blobs(400, 3, 2, 1, 0, 11);
        JsonNode dataset = DatasetApiIntegrationTest.upload(api, csv, "?name=pg", 201);
        String id = dataset.get("id").asString();
        assertThat(DatasetApiIntegrationTest.upload(api, csv, "", 200).get("id").asString())
                .isEqualTo(id);
        assertThat(jdbc.queryForObject(
                        "select count(*) from uploaded_dataset where sha256 = ?",
                        Integer.class,
                        dataset.get("sha256").asString()))
                .isEqualTo(1);
        assertThat(api.get(DatasetApiIntegrationTest.DATASETS + "/" + id).json())
                .isEqualTo(dataset);

        String job = api.submit(DatasetApiIntegrationTest.trainingSpec(id, true, 10));
        JsonNode done = api.awaitFinished(job, Duration.ofSeconds(120));
        assertThat(done.get("status").asString()).as(done.toString()).isEqualTo("SUCCEEDED");
        assertThat(done.get("result").get("testAccuracy").asDouble()).isGreaterThan(0.9);

        java.net.URI uri =
                java.net.URI.create("http://localhost:" + port + DatasetApiIntegrationTest.DATASETS + "/" + id);
        assertThat(api.send(java.net.http.HttpRequest.newBuilder(uri).DELETE()).status())
                .isEqualTo(204);
        assertThat(jdbc.queryForObject(
                        "select count(*) from job where id = ?::uuid and dataset_id is null", Integer.class, job))
                .as("the finished job's link is cleared, the job kept")
                .isEqualTo(1);
        ApiClient.Reply gone =
                api.post("/api/v1/jobs", "{\"dataset\": {\"name\": \"upload\", \"id\": \"" + id + "\"}}");
        assertThat(gone.status()).isEqualTo(400);
    }

    private String columnType(String table, String column) {
        return jdbc.queryForObject(
                "select data_type from information_schema.columns where table_schema = "
                        + "current_schema() and table_name = ? and column_name = ?",
                String.class,
                table,
                column);
    }

    private int countRows(String table, String jobId) {
        return jdbc.queryForObject(
                "select count(*) from " + table + " where job_id = ?", Integer.class, UUID.fromString(jobId));
    }

    /**
     * Flyway's V9 on PostgreSQL: DELETE of a running job, of a queued one and of a finished study; their rows and
     * executions go, the running attempt stores nothing more, the jobs behind train. Stored bytes match the rows,
     * and the size gauge reads pg_database_size.
     */
    @Test
    void deletingJobsAndAStudyRemovesTheirRowsFromPostgresql() {
        assertThat(jdbc.queryForList("select version from flyway_schema_history where success", String.class))
                .contains("9");
        assertThat(columnType("job_purge", "job_id")).isEqualTo("uuid");
        ApiClient api = api();
        api.awaitIdle(Duration.ofSeconds(120));
        String finished = api.submit(TINY);
        JsonNode done = api.awaitFinished(finished, Duration.ofSeconds(60));
        assertThat(done.get("storedBytes").asLong())
                .isPositive()
                .isEqualTo(DataLifecycleIntegrationTest.payloadBytes(jdbc, finished));

        String running = api.submit(JobApiIntegrationTest.LONG);
        api.awaitJob(running, j -> j.get("progress").get("iteration").asLong() > 20, Duration.ofSeconds(60));
        String queued = api.submit(TINY);
        String next = api.submit(TINY);
        assertThat(queuedTask(queued)).isEqualTo(1);
        assertThat(api.delete("/api/v1/jobs/" + queued).status()).isEqualTo(204);
        assertThat(queuedTask(queued)).isZero();
        assertThat(api.delete("/api/v1/jobs/" + running).status()).isEqualTo(204);
        assertThat(api.delete("/api/v1/jobs/" + finished).status()).isEqualTo(204);
        for (String id : List.of(queued, running, finished)) {
            assertThat(api.get("/api/v1/jobs/" + id).status()).isEqualTo(404);
            assertThat(api.get("/api/v1/jobs/" + id + "/curves/loss").status()).isEqualTo(404);
        }
        assertThat(api.awaitFinished(next, Duration.ofSeconds(60)).get("status").asString())
                .isEqualTo("SUCCEEDED");
        assertThat(queuedTask(running)).as("the deleted run has returned").isZero();
        for (String id : List.of(queued, running, finished)) {
            DataLifecycleIntegrationTest.awaitPurged(jdbc, id);
        }

        ApiClient.Reply created = api.post("/api/v1/studies", """
                {"base": {"model": {"depth": 3, "width": 8}, "dataset": {"name": "gaussians", "samples": 200},
                          "training": {"optimizer": "adam", "learningRate": 0.01, "batchSize": 32, "epochs": 2}},
                 "vary": {"model.width": [4, 8]}, "repeats": 1}""");
        String study = created.json().get("id").asString();
        api.awaitStudy(study, Duration.ofSeconds(120));
        List<String> jobs = api.get("/api/v1/jobs?studyId=" + study)
                .json()
                .get("items")
                .valueStream()
                .map(j -> j.get("id").asString())
                .toList();
        assertThat(api.delete("/api/v1/jobs/" + jobs.get(0)).status()).isEqualTo(409);
        assertThat(api.delete("/api/v1/studies/" + study).status()).isEqualTo(204);
        assertThat(jdbc.queryForObject(
                        "select count(*) from study where id = ?", Integer.class, UUID.fromString(study)))
                .isZero();
        for (String id : jobs) {
            assertThat(jdbc.queryForObject("select count(*) from job where id = ?", Integer.class, UUID.fromString(id)))
                    .isZero();
            DataLifecycleIntegrationTest.awaitPurged(jdbc, id);
        }

        double gauge =
                meters.get(dev.gradlab.database.DatabaseSize.METER).gauge().value();
        long size = jdbc.queryForObject("select pg_database_size(current_database())", Long.class);
        assertThat(gauge).isPositive().isCloseTo(size, org.assertj.core.api.Assertions.withinPercentage(20));
    }

    /** Executions of training jobs in db-scheduler's table (an accepted job has one until it finishes). */
    private int trainTasks() {
        return jdbc.queryForObject("select count(*) from scheduled_tasks where task_name = 'train-job'", Integer.class);
    }

    private int queuedTask(String jobId) {
        return jdbc.queryForObject(
                "select count(*) from scheduled_tasks where task_name = 'train-job' " + "and task_instance = ?",
                Integer.class,
                jobId);
    }

    /** Waits for a state; the timeout only bounds a hang (2 shared cores can be slow). */
    private static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 60s: " + what);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
