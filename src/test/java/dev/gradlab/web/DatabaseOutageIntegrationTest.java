package dev.gradlab.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * A real PostgreSQL stopped and started again under a training job, as a restart or a managed fail-over does.
 * While it is down, every API operation that needs it answers 503 problem+json with Retry-After within the
 * connection pool's 2 s wait (never a hang, a 500 or HTML), readiness stays up and the overall health goes down.
 * A short outage is ridden out by the same attempt; one longer than {@code gradlab.jobs.database-outage-tolerance}
 * (10 s here) hands the job back to the queue and its second attempt succeeds. Either way every iteration is in
 * the curves exactly once.
 */
@ExtendWith(EmbeddedPostgresServer.class) // first, so that the server outlives the application context
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"gradlab.jobs.database-outage-tolerance=" + DatabaseOutageIntegrationTest.TOLERANCE_SECONDS + "s"
        })
@ActiveProfiles({"test", "postgres"})
@DirtiesContext
class DatabaseOutageIntegrationTest {

    static final int TOLERANCE_SECONDS = 10;

    /** 200 iterations of a 20-layer net: still training when the database goes away, at iteration 20. */
    /**
     * 200 iterations of 320 examples through 20 × 128 (about 8 s on the AMD EPYC): long enough to be seen running and
     * to still be running when the database goes away, on a faster machine too. 20 × 64 at 32 examples took 1.3 s
     * once DL4J's updater stopped making views (docs/PERFORMANCE.md), and a poll could miss it running.
     */
    static final String TRAINING = """
            {"name": "outage", "model": {"depth": 20, "width": 128},
             "dataset": {"samples": 20000}, "training": {"batchSize": 320, "epochs": 4}}""";

    static final String STUDY = "{\"base\": " + StudyApiIntegrationTest.TINY_BASE
            + ", \"vary\": {\"model.depth\": [2, 3]}, \"repeats\": 1}";

    static final long ITERATIONS = 200;
    static final int EPOCHS = 4;

    /** The pool's 2 s wait, plus room for a loaded 2-core machine. */
    static final Duration FAST_ANSWER = Duration.ofMillis(4000);

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        PostgresProfileIntegrationTest.database(registry);
    }

    @LocalServerPort
    int port;

    ApiClient api() {
        return new ApiClient(port).withKey(ApiClient.TEST_ADMIN_KEY); // the postgres profile requires keys
    }

    @Test
    void aShortOutageIsRiddenOutByTheSameAttempt() throws Exception {
        String id = startTraining();
        long before = System.nanoTime();
        EmbeddedPostgresServer.stop();
        try {
            assertEveryOperationAnswers503Fast(id);
            Duration down = Duration.ofNanos(System.nanoTime() - before);
            assertThat(down).as("still within the tolerance").isLessThan(Duration.ofSeconds(TOLERANCE_SECONDS - 3));
        } finally {
            EmbeddedPostgresServer.restart();
        }
        System.out.printf(
                "short outage: database down for %d ms, API answering again %d ms after it returned%n",
                (System.nanoTime() - before) / 1_000_000, awaitRecovered(id).toMillis());

        JsonNode done = api().awaitFinished(id, Duration.ofSeconds(120));
        assertThat(done.get("status").asString()).isEqualTo("SUCCEEDED");
        assertThat(done.get("attempt").asInt())
                .as("the same attempt, paused and resumed")
                .isEqualTo(1);
        ProcessCrashIntegrationTest.assertEachIterationOnce(api(), id, ITERATIONS, EPOCHS);
        assertThat(api().submit(JobApiIntegrationTest.TINY))
                .as("accepting again")
                .isNotEmpty();
    }

    @Test
    void anOutageLongerThanTheToleranceHandsTheJobBackAndItsNextAttemptSucceeds() throws Exception {
        String id = startTraining();
        long before = System.nanoTime();
        EmbeddedPostgresServer.stop();
        try {
            ApiClient.Reply refused = timed(() -> api().post("/api/v1/jobs", JobApiIntegrationTest.TINY));
            assertUnavailable("POST /api/v1/jobs", refused);
            // past the tolerance, with room for the writer's last try (the pool's 2 s) and a loaded machine
            while (System.nanoTime() - before
                    < Duration.ofSeconds(TOLERANCE_SECONDS + 5).toNanos()) {
                AppProcess.sleep(200);
            }
        } finally {
            EmbeddedPostgresServer.restart();
        }
        System.out.printf(
                "long outage: database down for %d ms, API answering again %d ms after it returned%n",
                (System.nanoTime() - before) / 1_000_000, awaitRecovered(id).toMillis());

        JsonNode done = api().awaitFinished(id, Duration.ofSeconds(120));
        assertThat(done.get("status").asString()).isEqualTo("SUCCEEDED");
        assertThat(done.get("attempt").asInt())
                .as("handed back, then run again")
                .isEqualTo(2);
        assertThat(done.has("error"))
                .as("not failed: the outage was not the job's fault")
                .isFalse();
        ProcessCrashIntegrationTest.assertEachIterationOnce(api(), id, ITERATIONS, EPOCHS);
    }

    /**
     * How long after the database's return the API answers again: the pool reconnects with a backoff of up to
     * 5 s (Hikari's), so a request or two may still get 503 meanwhile.
     */
    private Duration awaitRecovered(String id) {
        long start = System.nanoTime();
        while (api().get("/api/v1/jobs/" + id).status() != 200) {
            assertThat(Duration.ofNanos(System.nanoTime() - start))
                    .as("answering again after the database returned")
                    .isLessThan(Duration.ofSeconds(30));
            AppProcess.sleep(100);
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }

    private String startTraining() {
        String id = api().submit(TRAINING);
        api().awaitJob(
                        id,
                        j -> j.get("status").asString().equals("RUNNING")
                                && j.get("progress").get("iteration").asLong() >= 20,
                        Duration.ofSeconds(120));
        return id;
    }

    /**
     * Every operation that needs the database, at once (each waits for the pool on its own thread): 503 with
     * Retry-After, as a problem, within {@link #FAST_ANSWER}. The presets need no database and still answer.
     */
    private void assertEveryOperationAnswers503Fast(String id) throws Exception {
        Map<String, java.util.concurrent.Callable<ApiClient.Reply>> calls = new LinkedHashMap<>();
        calls.put("POST /api/v1/jobs", () -> api().post("/api/v1/jobs", JobApiIntegrationTest.TINY));
        calls.put("GET /api/v1/jobs/{id}", () -> api().get("/api/v1/jobs/" + id));
        calls.put("GET /api/v1/jobs", () -> api().get("/api/v1/jobs"));
        calls.put("GET /api/v1/jobs/{id}/curves/loss", () -> api().get("/api/v1/jobs/" + id + "/curves/loss"));
        calls.put(
                "GET /api/v1/jobs/{id}/curves/gradients", () -> api().get("/api/v1/jobs/" + id + "/curves/gradients"));
        calls.put("GET /api/v1/jobs/{id}/profiles", () -> api().get("/api/v1/jobs/" + id + "/profiles"));
        calls.put("POST /api/v1/jobs/{id}/cancel", () -> api().post("/api/v1/jobs/" + id + "/cancel", null));
        calls.put(
                "GET /api/v1/jobs/{id}/events",
                () -> api().send(HttpRequest.newBuilder(
                                URI.create("http://localhost:" + port + "/api/v1/jobs/" + id + "/events"))
                        .header("Accept", "text/event-stream")));
        calls.put("GET /api/v1/studies", () -> api().get("/api/v1/studies"));
        calls.put("POST /api/v1/studies", () -> api().post("/api/v1/studies", STUDY));
        ExecutorService clients = Executors.newFixedThreadPool(calls.size());
        try {
            List<Future<ApiClient.Reply>> replies = new ArrayList<>();
            for (var call : calls.values()) {
                replies.add(clients.submit(() -> timed(call)));
            }
            int i = 0;
            for (String name : calls.keySet()) {
                assertUnavailable(name, replies.get(i++).get());
            }
        } finally {
            clients.shutdownNow();
        }
        assertThat(api().get("/api/v1/presets").status())
                .as("no database needed")
                .isEqualTo(200);
        assertThat(api().get("/actuator/health/readiness").status())
                .as("readiness stays up: every instance shares the database, and answers 503 itself")
                .isEqualTo(200);
        assertThat(api().get("/actuator/health").status())
                .as("health says the database is down")
                .isEqualTo(503);
    }

    private static void assertUnavailable(String call, ApiClient.Reply reply) {
        assertThat(reply.status()).as(call + ": " + reply.body()).isEqualTo(503);
        assertThat(reply.contentType()).as(call).startsWith("application/problem+json");
        assertThat(reply.json().get("code").asString()).as(call).isEqualTo("database-unavailable");
        assertThat(reply.header("Retry-After")).as(call).isEqualTo("5");
    }

    /** Runs a call and checks that it was answered within {@link #FAST_ANSWER}. */
    private static ApiClient.Reply timed(java.util.concurrent.Callable<ApiClient.Reply> call) throws Exception {
        long start = System.nanoTime();
        ApiClient.Reply reply = call.call();
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        System.out.printf("%d during the outage, answered in %d ms%n", reply.status(), took.toMillis());
        assertThat(took).as("answered fast, not after a timeout").isLessThan(FAST_ANSWER);
        return reply;
    }
}
