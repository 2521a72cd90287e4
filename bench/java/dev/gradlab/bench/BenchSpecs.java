package dev.gradlab.bench;

import dev.gradlab.spec.ExperimentSpec;
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
