package dev.gradlab.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;

/**
 * Real data through the API: the bundled digits train to well above chance, and an MNIST job whose files are
 * neither in the cache nor reachable (the test profile points the mirror at a closed port) ends FAILED with a
 * message that says what to do.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class RecordedDatasetJobIntegrationTest {

    @LocalServerPort
    int port;

    @Test
    void aNetOnTheBundledDigitsLearnsThem() {
        ApiClient api = new ApiClient(port);
        String id = api.submit(SpecExamples.DIGITS); // Swagger UI's example, examples/digits.json
        JsonNode job = api.awaitFinished(id, Duration.ofSeconds(120));
        assertThat(job.get("status").asString()).isEqualTo("SUCCEEDED");
        JsonNode dataset = job.get("spec").get("dataset");
        assertThat(dataset.get("samples").asInt()).isEqualTo(1797);
        assertThat(dataset.get("features").asInt()).isEqualTo(64);
        assertThat(dataset.propertyNames()).doesNotContain("classes", "noise", "sequenceLength");
        double accuracy = job.get("result").get("testAccuracy").asDouble();
        System.out.printf("digits: test accuracy %.3f after 10 epochs (359 held-out examples)%n", accuracy);
        assertThat(accuracy).as("chance is 0.1").isGreaterThan(0.9);
    }

    @Test
    void anMnistJobWithoutItsFilesFailsSayingWhichFileWhereAndItsChecksum() {
        ApiClient api = new ApiClient(port);
        String id = api.submit("""
                {"model": {"depth": 3, "width": 30}, "dataset": {"name": "mnist", "samples": 1000},
                 "training": {"epochs": 1}}""");
        JsonNode job = api.awaitFinished(id, Duration.ofSeconds(60));
        assertThat(job.get("status").asString()).isEqualTo("FAILED");
        String error = job.get("error").asString();
        System.out.println("mnist without files: " + error);
        assertThat(error)
                .contains("mnist needs train-images-idx3-ubyte.gz")
                .contains("440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609")
                .contains(Path.of("target/test-datasets/mnist")
                        .toAbsolutePath()
                        .normalize()
                        .toString())
                .contains("fetching it from http://127.0.0.1:9/train-images-idx3-ubyte.gz failed: connection refused")
                .contains("gradlab.datasets.mnist-url")
                .doesNotContain("\tat ", "Exception");
    }
}
