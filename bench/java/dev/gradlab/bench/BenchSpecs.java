package dev.gradlab.bench;

import dev.gradlab.spec.ExperimentSpec;
import dev.gradlab.spec.ModelSpec;
import dev.gradlab.spec.Optimizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The benchmark specs in bench/specs, and waiting for one to finish as a job of a running service. */
public final class BenchSpecs {

    /** Lenient: a spec file carries the request's {@code name}, which is not part of ExperimentSpec. */
    public static final JsonMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private BenchSpecs() {}

    /**
     * The overhead benches' network: a 20×64 MLP (shaped further by {@code model}) on 2,000 spirals, SGD at 0.1,
     * batch 128, one epoch, seed 1, defaults filled in.
     */
    public static ExperimentSpec mlp20x64(Consumer<ModelSpec.Builder> model) {
        return ExperimentSpec.builder()
                .model(m -> model.accept(m.depth(20).width(64)))
                .dataset(d -> d.samples(2000))
                .training(t -> t.optimizer(Optimizer.SGD)
                        .learningRate(0.1)
                        .batchSize(128)
                        .epochs(1)
                        .seed(1L))
                .build()
                .withDefaults();
    }

    /** The request body of bench/specs/{name}.json, as a client would POST it. */
    public static String body(String name) {
        try {
            return Files.readString(Path.of("bench/specs", name + ".json"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The same spec with every default filled in, as the service would run it. */
    public static ExperimentSpec load(String name) {
        return JSON.readValue(body(name), ExperimentSpec.class).withDefaults();
    }

    /** A job that SUCCEEDED: examples trained, and the server's own timestamps of its POST and its end. */
    public record FinishedJob(long samples, Instant createdAt, Instant finishedAt) {
        public Duration took() {
            return Duration.between(createdAt, finishedAt);
        }
    }

    /**
     * Polls {@code jobsUrl/id} every 100 ms (too rarely to compete with the job for the CPU) until it has SUCCEEDED.
     * @throws IllegalStateException if it ends any other way
     */
    public static FinishedJob awaitSucceeded(HttpClient http, String jobsUrl, String id) throws Exception {
        while (true) {
            Thread.sleep(100);
            JsonNode job = JSON.readTree(http.send(
                            HttpRequest.newBuilder(URI.create(jobsUrl + "/" + id))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body());
            String status = job.get("status").asString();
            if (status.equals("SUCCEEDED")) {
                ExperimentSpec spec = JSON.treeToValue(job.get("spec"), ExperimentSpec.class);
                return new FinishedJob(
                        (long) spec.training().epochs() * spec.dataset().trainSamples(),
                        Instant.parse(job.get("createdAt").asString()),
                        Instant.parse(job.get("finishedAt").asString()));
            }
            if (!status.equals("QUEUED") && !status.equals("RUNNING")) {
                throw new IllegalStateException("job ended " + status + ": " + job);
            }
        }
    }
}
