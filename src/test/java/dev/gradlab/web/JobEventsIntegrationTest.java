package dev.gradlab.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The live stream of a job: its state at once, each change, a last event when it ends, and then the end of the
 * stream; a bounded number of streams per instance, the next one answered 503 with Retry-After.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"gradlab.api.max-event-streams=1", "gradlab.api.event-interval-ms=200"})
@ActiveProfiles("test")
class JobEventsIntegrationTest {

    private final JsonMapper json = JsonMapper.builder().build();

    @LocalServerPort
    int port;

    @Test
    void aStreamFollowsTheJobToItsEndAndTheBoundIsKept() throws Exception {
        ApiClient api = new ApiClient(port);
        String id = api.submit(JobApiIntegrationTest.LONG);

        // The one stream this instance allows, read line by line as a browser's EventSource would.
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        HttpRequest request = HttpRequest.newBuilder(URI.create(events(id)))
                .header("Accept", "text/event-stream")
                .build();
        CompletableFuture<HttpResponse<Stream<String>>> stream =
                HttpClient.newHttpClient().sendAsync(request, HttpResponse.BodyHandlers.ofLines());
        HttpResponse<Stream<String>> response = stream.get(30, TimeUnit.SECONDS);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        CompletableFuture<Void> reader =
                CompletableFuture.runAsync(() -> response.body().forEach(lines::add));

        JsonNode first = nextEvent(lines);
        assertThat(first.get("id").asString()).isEqualTo(id);
        assertThat(first.get("status").asString()).isIn("QUEUED", "RUNNING");

        // A second stream is over the bound: a problem with Retry-After, so the client polls instead.
        ApiClient.Reply refused = api.get("/api/v1/jobs/" + id + "/events");
        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.json().get("code").asString()).isEqualTo("too-many-event-streams");
        assertThat(refused.header("Retry-After")).isNotBlank();

        // Progress arrives while it trains; the cancel's outcome is the last event, and the stream ends.
        JsonNode running = first;
        while (!running.get("status").asString().equals("RUNNING")
                || running.get("iteration").asLong() == 0) {
            running = nextEvent(lines);
        }
        assertThat(running.get("iteration").asLong()).isPositive();
        api.post("/api/v1/jobs/" + id + "/cancel", null, null, null);
        JsonNode last = running;
        while (!last.get("status").asString().equals("CANCELLED")) {
            last = nextEvent(lines);
        }
        reader.get(30, TimeUnit.SECONDS); // the server closed the stream
        assertThat(lines).as("nothing after the last event").allMatch(String::isEmpty);

        // The bound is free again; a finished job's stream is its last state, then the end.
        ApiClient.Reply finished = api.get("/api/v1/jobs/" + id + "/events");
        assertThat(finished.status()).isEqualTo(200);
        List<String> data =
                finished.body().lines().filter(l -> l.startsWith("data:")).toList();
        assertThat(data).hasSize(1);
        assertThat(json.readTree(data.get(0).substring(5)).get("status").asString())
                .isEqualTo("CANCELLED");
        assertThat(finished.body()).contains("event:job");

        assertThat(api.get("/api/v1/jobs/00000000-0000-0000-0000-000000000000/events")
                        .status())
                .isEqualTo(404);
    }

    private String events(String id) {
        return "http://localhost:" + port + "/api/v1/jobs/" + id + "/events";
    }

    /** The data of the next {@code job} event, waiting up to a minute for it. */
    private JsonNode nextEvent(BlockingQueue<String> lines) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        boolean jobEvent = false;
        while (System.nanoTime() < deadline) {
            String line = lines.poll(1, TimeUnit.SECONDS);
            if (line == null) {
                continue;
            }
            if (line.equals("event:job")) {
                jobEvent = true;
            } else if (jobEvent && line.startsWith("data:")) {
                return json.readTree(line.substring(5));
            }
        }
        throw new AssertionError("no job event within a minute");
    }
}
