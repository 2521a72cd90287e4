package dev.gradlab.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.gradlab.GradLabApplication;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * The default H2 database on a disk that refuses writes ({@link FaultyDisk}: this test runs as root, so file
 * permissions cannot make a file read-only for it). A file that opens read-only stops the start with a message
 * saying what to fix, and is left byte for byte as it was. A disk that fills up under a running service is an
 * outage: no acknowledged job is lost (a submission that cannot be made durable is answered 503, not 202), the
 * running job waits or goes back to the queue, and once there is room again everything finishes, every iteration
 * stored once, and the file opens cleanly in a new process.
 */
@ExtendWith(OutputCaptureExtension.class)
class H2StorageIntegrationTest {

    @TempDir
    Path dir;

    private final List<ConfigurableApplicationContext> started = new ArrayList<>();

    @BeforeEach
    void healthyDisk() {
        FaultyDisk.install();
    }

    @AfterEach
    void stop() {
        FaultyDisk.install();
        started.forEach(ConfigurableApplicationContext::close);
    }

    private String url() {
        return "jdbc:h2:" + FaultyDisk.SCHEME + ":" + dir.resolve("gradlab") + ";DB_CLOSE_ON_EXIT=FALSE";
    }

    private ApiClient start() {
        ConfigurableApplicationContext context = new SpringApplicationBuilder(GradLabApplication.class)
                .profiles("test")
                .run("--server.port=0", "--spring.datasource.url=" + url(), "--gradlab.jobs.worker-id=h2-storage");
        started.add(context);
        return new ApiClient(
                ((WebServerApplicationContext) context).getWebServer().getPort());
    }

    private void stopAll() {
        started.forEach(ConfigurableApplicationContext::close);
        started.clear();
    }

    @Test
    void aFileThatOpensReadOnlyStopsTheStartSayingWhatToFixAndIsLeftAsItWas(CapturedOutput output) throws Exception {
        ApiClient api = start();
        String id = api.submit(JobApiIntegrationTest.TINY);
        assertThat(api.awaitFinished(id, Duration.ofSeconds(60)).get("status").asString())
                .isEqualTo("SUCCEEDED");
        stopAll();
        Path file = dir.resolve("gradlab.mv.db");
        byte[] before = Files.readAllBytes(file);

        FaultyDisk.readOnly = true;
        Throwable failure = catchThrowable(this::start);
        assertThat(failure).isNotNull();
        assertThat(failure).rootCause().hasMessageContaining("is read-only: its file cannot be written");
        assertThat(output.getOut() + output.getErr())
                .contains("APPLICATION FAILED TO START")
                .contains("opened read-only")
                .contains("Make the database file (gradlab.mv.db) and its directory writable");
        assertThat(Files.readAllBytes(file)).as("not a byte changed").isEqualTo(before);

        FaultyDisk.readOnly = false;
        assertThat(start().get("/api/v1/jobs/" + id).json().get("status").asString())
                .as("writable again: the same database, as it was")
                .isEqualTo("SUCCEEDED");
    }

    @Test
    void aDiskThatFillsUpWhileRunningLosesNoAcceptedJobAndEverythingFinishesOnceThereIsRoom() {
        ApiClient api = start();
        String before = api.submit(JobApiIntegrationTest.TINY);
        api.awaitFinished(before, Duration.ofSeconds(60));
        String running = api.submit(DatabaseOutageIntegrationTest.TRAINING);
        api.awaitJob(
                running,
                j -> j.get("status").asString().equals("RUNNING")
                        && j.get("progress").get("iteration").asLong() >= 20,
                Duration.ofSeconds(120));

        FaultyDisk.full = true;
        long start = System.nanoTime();
        ApiClient.Reply refused = api.post("/api/v1/jobs", JobApiIntegrationTest.TINY);
        System.out.printf(
                "disk full: POST answered %d in %d ms%n", refused.status(), (System.nanoTime() - start) / 1_000_000);
        assertThat(refused.status()).as(refused.body()).isEqualTo(503);
        assertThat(refused.json().get("code").asString()).isEqualTo("database-unavailable");
        assertThat(refused.header("Retry-After")).isEqualTo("5");
        AppProcess.sleep(3000); // the running job meets the full disk too

        FaultyDisk.full = false;
        List<String> accepted = new ArrayList<>(List.of(before, running));
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        ApiClient.Reply after;
        do {
            after = api.post("/api/v1/jobs", JobApiIntegrationTest.TINY);
            AppProcess.sleep(200);
        } while (after.status() == 503 && System.nanoTime() < deadline);
        assertThat(after.status()).as("accepting again: " + after.body()).isEqualTo(202);
        accepted.add(after.json().get("id").asString());

        for (String id : accepted) {
            JsonNode job = api.awaitFinished(id, Duration.ofSeconds(120));
            assertThat(job.get("status").asString()).as(id).isEqualTo("SUCCEEDED");
        }
        int attempt = api.get("/api/v1/jobs/" + running).json().get("attempt").asInt();
        System.out.println("the job training when the disk filled up succeeded at attempt " + attempt);
        ProcessCrashIntegrationTest.assertEachIterationOnce(
                api, running, DatabaseOutageIntegrationTest.ITERATIONS, DatabaseOutageIntegrationTest.EPOCHS);

        stopAll();
        ApiClient reopened = start();
        for (String id : accepted) {
            assertThat(reopened.get("/api/v1/jobs/" + id).json().get("status").asString())
                    .as("after a restart on the same file: " + id)
                    .isEqualTo("SUCCEEDED");
        }
        ProcessCrashIntegrationTest.assertEachIterationOnce(
                reopened, running, DatabaseOutageIntegrationTest.ITERATIONS, DatabaseOutageIntegrationTest.EPOCHS);
    }
}
