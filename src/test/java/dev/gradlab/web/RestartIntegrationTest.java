package dev.gradlab.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gradlab.GradLabApplication;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * The queue survives a restart: jobs accepted by one application context run in the next one, on the same H2
 * file. The job that was training when the first context shut down is stopped, queued again and re-run from
 * the start, and its stored curve then holds each iteration exactly once.
 */
class RestartIntegrationTest {

    /**
     * Long enough (1,000 iterations, a few seconds) to be caught mid-run by a kill or a restart: at 250 iterations it
     * ended before the kill once javacpp's resident-memory check was off (1.6× faster).
     */
    static final String MEDIUM = """
            {"name": "medium", "model": {"depth": 20, "width": 64},
             "dataset": {"samples": 2000}, "training": {"batchSize": 32, "epochs": 20}}""";

    static final int MEDIUM_EPOCHS = 20;
    static final long MEDIUM_ITERATIONS = 1000;

    @TempDir
    Path dataDir;

    private ConfigurableApplicationContext start() {
        return new SpringApplicationBuilder(GradLabApplication.class)
                .profiles("test")
                // Arguments, not builder properties: those are defaults, which the test profile's in-memory URL beats.
                .run(
                        "--spring.datasource.url=jdbc:h2:file:" + dataDir.resolve("gradlab")
                                + ";DB_CLOSE_ON_EXIT=FALSE",
                        "--server.port=0");
    }

    private static ApiClient client(ConfigurableApplicationContext context) {
        return new ApiClient(Integer.parseInt(context.getEnvironment().getProperty("local.server.port")));
    }

    @Test
    void queuedAndInterruptedJobsRunAfterARestart() {
        String interrupted;
        List<String> queued = new ArrayList<>();
        try (ConfigurableApplicationContext first = start()) {
            ApiClient api = client(first);
            interrupted = api.submit(MEDIUM);
            for (int i = 0; i < 2; i++) {
                queued.add(api.submit(JobApiIntegrationTest.TINY));
            }
            api.awaitJob(interrupted, j -> j.get("progress").get("iteration").asLong() >= 20, Duration.ofSeconds(60));
            for (String id : queued) {
                assertThat(api.get("/api/v1/jobs/" + id).json().get("status").asString())
                        .isEqualTo("QUEUED");
            }
        } // graceful shutdown: the training job stops at its next iteration and goes back on the queue

        try (ConfigurableApplicationContext second = start()) {
            ApiClient api = client(second);
            JsonNode rerun = api.awaitFinished(interrupted, Duration.ofSeconds(120));
            assertThat(rerun.get("status").asString()).isEqualTo("SUCCEEDED");
            assertThat(rerun.get("attempt").asInt()).isEqualTo(2);
            long total = rerun.get("progress").get("totalIterations").asLong();
            assertThat(total).isEqualTo(MEDIUM_ITERATIONS);

            JsonNode loss = api.get("/api/v1/jobs/" + interrupted + "/curves/loss?maxPoints=20000")
                    .json();
            assertThat(loss.get("totalPoints").asLong()).isEqualTo(total);
            long expected = 1;
            for (JsonNode it : loss.get("iterations")) {
                assertThat(it.asLong()).as("each iteration once, in order").isEqualTo(expected++);
            }
            assertThat(loss.get("epochs").get("epochs").size()).isEqualTo(MEDIUM_EPOCHS);

            for (String id : queued) {
                JsonNode job = api.awaitFinished(id, Duration.ofSeconds(60));
                assertThat(job.get("status").asString()).isEqualTo("SUCCEEDED");
                assertThat(job.get("attempt").asInt()).isEqualTo(1);
            }
        }
    }
}
