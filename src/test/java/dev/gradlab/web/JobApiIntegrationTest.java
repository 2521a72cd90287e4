package dev.gradlab.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withinPercentage;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;

/** Drives the real HTTP API of a running server: submit, follow, cancel, curves, paging, idempotency. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class JobApiIntegrationTest {

    static final String TINY = """
            {"name": "tiny", "model": {"depth": 3, "width": 8},
             "dataset": {"name": "gaussians", "samples": 200},
             "training": {"optimizer": "adam", "learningRate": 0.01, "batchSize": 32, "epochs": 2}}""";

    /** 20-layer sigmoid nets on the spirals, short: enough to see the gradient gap. */
    static String deep(boolean batchNorm) {
        return """
                {"model": {"depth": 20, "width": 32, "activation": "sigmoid", "batchNorm": %s},
                 "dataset": {"samples": 600},
                 "training": {"optimizer": "adam", "learningRate": 0.01, "batchSize": 64, "epochs": 3}}""".formatted(batchNorm);
    }

    /** Long enough to still be running when a test acts on it. */
    static final String LONG = """
            {"name": "long", "model": {"depth": 20, "width": 64},
             "dataset": {"samples": 20000},
             "training": {"batchSize": 32, "epochs": 20}}""";

    @LocalServerPort
    int port;

    ApiClient api() {
        return new ApiClient(port);
    }

    @Test
    void submitReturns202WithLocationAndTheSpecWithDefaults() {
        ApiClient.Reply r = api().post("/api/v1/jobs", TINY);
        assertThat(r.status()).isEqualTo(202);
        String id = r.json().get("id").asString();
        assertThat(r.header("Location")).endsWith("/api/v1/jobs/" + id);
        assertThat(r.json().get("status").asString()).isIn("QUEUED", "RUNNING");
        JsonNode spec = r.json().get("spec");
        assertThat(spec.get("model").get("activation").asString()).isEqualTo("sigmoid");
        assertThat(spec.get("training").get("seed").asLong()).isEqualTo(42);
        assertThat(spec.get("metrics").get("every").asInt()).isEqualTo(1);
        assertThat(spec.get("model").propertyNames()).doesNotContain("cell", "recurrentScale", "forgetGateBias");
        assertThat(spec.get("dataset").propertyNames()).contains("classes").doesNotContain("sequenceLength");
        assertThat(r.json().get("progress").get("totalIterations").asLong()).isEqualTo(10); // 160/32 × 2

        JsonNode done = api().awaitFinished(id, Duration.ofSeconds(60));
        assertThat(done.get("status").asString()).isEqualTo("SUCCEEDED");
        assertThat(done.get("progress").get("iteration").asLong()).isEqualTo(10);
        assertThat(done.get("progress").get("epoch").asInt()).isEqualTo(2);
        assertThat(done.get("result").get("finalLoss").isNumber()).isTrue();
        assertThat(done.get("result").get("testAccuracy").asDouble()).isBetween(0.0, 1.0);
        assertThat(done.get("worker").asString()).isNotBlank();
        assertThat(done.get("attempt").asInt()).isEqualTo(1);
        assertThat(done.get("startedAt").isNull()).isFalse();
        assertThat(done.get("finishedAt").isNull()).isFalse();
    }

    /** Behind a reverse proxy the Location is the URL the client used, not the upstream's (X-Forwarded-*, Forwarded). */
    @Test
    void locationFollowsTheProxyHeaders() {
        java.net.URI jobs = java.net.URI.create("http://localhost:" + port + "/api/v1/jobs");
        ApiClient.Reply forwarded = api().send(java.net.http.HttpRequest.newBuilder(jobs)
                .header("Content-Type", "application/json")
                .header("X-Forwarded-Proto", "https")
                .header("X-Forwarded-Host", "lab.example.org")
                .header("X-Forwarded-Prefix", "/gradlab")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(TINY)));
        assertThat(forwarded.status()).isEqualTo(202);
        String id = forwarded.json().get("id").asString();
        assertThat(forwarded.header("Location")).isEqualTo("https://lab.example.org/gradlab/api/v1/jobs/" + id);

        ApiClient.Reply standard = api().send(java.net.http.HttpRequest.newBuilder(jobs)
                .header("Content-Type", "application/json")
                .header("Forwarded", "proto=https;host=\"lab.example.org:8443\"")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(TINY)));
        assertThat(standard.header("Location"))
                .isEqualTo("https://lab.example.org:8443/api/v1/jobs/"
                        + standard.json().get("id").asString());
    }

    @Test
    void gradientCurvesShowTheVanishingFirstLayerAndBatchNormKeepsIt() {
        String plain = api().submit(deep(false));
        String bn = api().submit(deep(true));
        api().awaitFinished(plain, Duration.ofSeconds(120));
        api().awaitFinished(bn, Duration.ofSeconds(120));

        JsonNode plainCurves =
                api().get("/api/v1/jobs/" + plain + "/curves/gradients").json();
        JsonNode bnCurves =
                api().get("/api/v1/jobs/" + bn + "/curves/gradients").json();
        assertThat(plainCurves.get("iterations").size()).isEqualTo(24); // 480 training points / 64 → 8 per epoch
        assertThat(plainCurves.get("iterations").get(0).asLong()).isEqualTo(1);
        JsonNode layers = plainCurves.get("layers");
        assertThat(layers.get(0).get("name").asString()).isEqualTo("dense1");
        assertThat(layers.get(layers.size() - 1).get("kind").asString()).isEqualTo("output");
        for (JsonNode layer : layers) {
            assertThat(layer.get("norms").size())
                    .isEqualTo(plainCurves.get("iterations").size());
        }
        // The headline ratio, as the service computes it: first over last dense layer, at iteration 1.
        JsonNode plainRatio =
                api().get("/api/v1/jobs/" + plain).json().get("result").get("gradientRatio");
        assertThat(plainRatio.get("measure").asString()).isEqualTo("firstToLastDenseLayer");
        assertThat(plainRatio.get("numerator").asString()).isEqualTo("dense1");
        assertThat(plainRatio.get("denominator").asString())
                .isEqualTo(layers.get(layers.size() - 2).get("name").asString());
        assertThat(plainRatio.get("startIteration").asLong()).isEqualTo(1);
        assertThat(plainRatio.get("start").asDouble())
                .isLessThan(1e-9)
                .isCloseTo(
                        layers.get(0).get("norms").get(0).asDouble()
                                / layers.get(layers.size() - 2)
                                        .get("norms")
                                        .get(0)
                                        .asDouble(),
                        withinPercentage(1e-6));
        assertThat(plainRatio.get("endIteration").asLong()).isEqualTo(24);
        ApiClient.Reply timesteps = api().get("/api/v1/jobs/" + plain + "/curves/timesteps");
        assertThat(timesteps.status()).as("an mlp has no gradient through time").isEqualTo(404);
        assertThat(timesteps.json().get("code").asString()).isEqualTo("not-recurrent");

        JsonNode bnLayers = bnCurves.get("layers");
        assertThat(bnLayers.get(1).get("kind").asString()).isEqualTo("batchNorm");
        JsonNode bnRatio = api().get("/api/v1/jobs/" + bn).json().get("result").get("gradientRatio");
        assertThat(bnRatio.get("denominator").asString())
                .as("matched by role: batch norm layers never count")
                .isEqualTo(bnLayers.get(bnLayers.size() - 3).get("name").asString());
        assertThat(bnRatio.get("start").asDouble()).isGreaterThan(1e-3);
    }

    @Test
    void curvesDownsampleKeepingFirstLastAndSpikes() {
        String id = api().submit(deep(false));
        api().awaitFinished(id, Duration.ofSeconds(120));
        JsonNode full = api().get("/api/v1/jobs/" + id + "/curves/loss").json();
        int n = full.get("iterations").size();
        assertThat(full.get("downsampled").asBoolean()).isFalse();
        assertThat(full.get("totalPoints").asInt()).isEqualTo(n);
        double max = -1;
        double min = Double.MAX_VALUE;
        for (JsonNode v : full.get("values")) {
            max = Math.max(max, v.asDouble());
            min = Math.min(min, v.asDouble());
        }
        JsonNode small =
                api().get("/api/v1/jobs/" + id + "/curves/loss?maxPoints=6").json();
        assertThat(small.get("downsampled").asBoolean()).isTrue();
        assertThat(small.get("iterations").size()).isLessThanOrEqualTo(6);
        assertThat(small.get("iterations").get(0).asLong()).isEqualTo(1);
        assertThat(small.get("iterations")
                        .get(small.get("iterations").size() - 1)
                        .asLong())
                .isEqualTo(n);
        List<Double> kept = new ArrayList<>();
        small.get("values").forEach(v -> kept.add(v.asDouble()));
        assertThat(kept).contains(max, min);
        assertThat(small.get("epochs").get("epochs").size()).isEqualTo(3);

        JsonNode range =
                api().get("/api/v1/jobs/" + id + "/curves/loss?from=5&to=9").json();
        assertThat(range.get("iterations").toString()).isEqualTo("[5,6,7,8,9]");

        JsonNode grads = api().get("/api/v1/jobs/" + id + "/curves/gradients?maxPoints=10")
                .json();
        assertThat(grads.get("iterations").size()).isLessThanOrEqualTo(10);
        assertThat(grads.get("iterations").get(0).asLong()).isEqualTo(1);

        JsonNode ratio = api().get("/api/v1/jobs/" + id + "/curves/layers?stat=updateRatio")
                .json();
        assertThat(ratio.get("stat").asString()).isEqualTo("updateRatio");
        assertThat(ratio.get("layers").get(0).get("values").size()).isEqualTo(n);
        JsonNode act = api().get("/api/v1/jobs/" + id + "/curves/layers?stat=activationStd")
                .json();
        JsonNode output = act.get("layers").get(act.get("layers").size() - 1);
        assertThat(output.get("values").get(0).isNull())
                .as("output layer has no activation series")
                .isTrue();
        assertThat(output.get("nonFinite").size()).isZero();
    }

    /**
     * Places in the queue (one training thread here): counted from the database, 1 for the next to start, absent
     * for running and finished jobs, and moving up as the jobs ahead leave; the running job's ETA is the figure a
     * script computes from startedAt and its progress.
     */
    @Test
    void queuedJobsKnowTheirPlaceAndMoveUpAsJobsAheadLeave() {
        ApiClient api = api();
        api.awaitIdle(Duration.ofSeconds(120)); // what earlier tests left would count ahead of these jobs
        String first = api.submit(LONG);
        api.awaitJob(
                first,
                j -> j.get("status").asString().equals("RUNNING")
                        && j.get("progress").get("iteration").asLong() > 0,
                Duration.ofSeconds(60));
        String second = api.submit(LONG);
        String third = api.submit(TINY);
        ApiClient.Reply fourthSubmitted = api.post("/api/v1/jobs", TINY);
        String fourth = fourthSubmitted.json().get("id").asString();
        assertThat(fourthSubmitted.json().get("queuePosition").asInt())
                .as("the 202 answer says where the job waits")
                .isEqualTo(3);

        Instant before = Instant.now();
        JsonNode running = api.get("/api/v1/jobs/" + first).json();
        Instant after = Instant.now();
        assertThat(running.has("queuePosition")).isFalse();
        JsonNode progress = running.get("progress");
        long done = progress.get("iteration").asLong();
        long left = progress.get("totalIterations").asLong() - done;
        Instant started = Instant.parse(running.get("startedAt").asString());
        // The estimate is (now − startedAt) × left / done, "now" being when the server answered.
        assertThat(progress.get("etaSeconds").asLong())
                .isPositive()
                .isBetween(etaSeconds(started, before, left, done), etaSeconds(started, after, left, done));

        assertThat(places(api, first, second, third, fourth)).containsExactly(null, 1, 2, 3);
        // The list answers the same places for a page of jobs.
        java.util.Map<String, Integer> listed = new java.util.HashMap<>();
        api.get("/api/v1/jobs?size=100").json().get("items").forEach(j -> {
            if (j.has("queuePosition")) {
                listed.put(j.get("id").asString(), j.get("queuePosition").asInt());
            }
            if (!j.get("status").asString().equals("QUEUED")) {
                assertThat(j.has("queuePosition"))
                        .as("only queued jobs have a place")
                        .isFalse();
            }
            if (!j.get("status").asString().equals("RUNNING")) {
                assertThat(j.get("progress").has("etaSeconds")).isFalse();
            }
        });
        assertThat(listed).isEqualTo(java.util.Map.of(second, 1, third, 2, fourth, 3));
        assertThat(api.get("/api/v1/jobs?status=QUEUED&size=1")
                        .json()
                        .get("items")
                        .get(0)
                        .get("queuePosition")
                        .asInt())
                .as("the newest queued job is the last in the queue")
                .isEqualTo(3);

        // A queued job ahead is cancelled: the one behind it moves up.
        assertThat(api.post("/api/v1/jobs/" + third + "/cancel", null, null, null)
                        .json()
                        .has("queuePosition"))
                .isFalse();
        assertThat(places(api, second, third, fourth)).containsExactly(1, null, 2);

        // The running job is cancelled: the next starts, and the last is next.
        api.post("/api/v1/jobs/" + first + "/cancel", null, null, null);
        api.awaitJob(second, j -> j.get("status").asString().equals("RUNNING"), Duration.ofSeconds(60));
        assertThat(places(api, first, second, fourth)).containsExactly(null, null, 1);

        api.post("/api/v1/jobs/" + second + "/cancel", null, null, null);
        JsonNode last = api.awaitFinished(fourth, Duration.ofSeconds(60));
        assertThat(last.get("status").asString()).isEqualTo("SUCCEEDED");
        assertThat(last.has("queuePosition")).isFalse();
        assertThat(last.get("progress").has("etaSeconds")).isFalse();
        api.awaitFinished(second, Duration.ofSeconds(60));
    }

    private static long etaSeconds(Instant started, Instant now, long left, long done) {
        return (long) Math.ceil((double) Duration.between(started, now).toMillis() * left / done / 1000);
    }

    private static List<Integer> places(ApiClient api, String... ids) {
        List<Integer> places = new ArrayList<>();
        for (String id : ids) {
            JsonNode job = api.get("/api/v1/jobs/" + id).json();
            places.add(job.has("queuePosition") ? job.get("queuePosition").asInt() : null);
        }
        return places;
    }

    @Test
    void idempotencyKeyReturnsTheFirstJob() {
        String key = "retry-" + UUID.randomUUID();
        ApiClient.Reply first = api().post("/api/v1/jobs", TINY, "application/json", key);
        ApiClient.Reply second = api().post("/api/v1/jobs", TINY, "application/json", key);
        assertThat(first.status()).isEqualTo(202);
        assertThat(second.status()).isEqualTo(202);
        assertThat(second.json().get("id").asString())
                .isEqualTo(first.json().get("id").asString());
        assertThat(second.header("Idempotent-Replayed")).isEqualTo("true");
        ApiClient.Reply other =
                api().post("/api/v1/jobs", TINY.replace("\"tiny\"", "\"other\""), "application/json", key);
        assertThat(other.status()).isEqualTo(422);
        assertThat(other.contentType()).startsWith("application/problem+json");
    }

    @Test
    void cancellingQueuedRunningAndFinishedJobs() {
        String running = api().submit(LONG);
        String queued = api().submit(TINY); // waits behind the long job (one training thread)
        api().awaitJob(
                        running,
                        j -> j.get("status").asString().equals("RUNNING")
                                && j.get("progress").get("iteration").asLong() > 0,
                        Duration.ofSeconds(60));

        ApiClient.Reply cancelQueued = api().post("/api/v1/jobs/" + queued + "/cancel", null, null, null);
        assertThat(cancelQueued.status()).isEqualTo(200);
        assertThat(cancelQueued.json().get("status").asString()).isEqualTo("CANCELLED");

        assertThat(api().post("/api/v1/jobs/" + running + "/cancel", null, null, null)
                        .status())
                .isEqualTo(200);
        // Minutes of training left: ending CANCELLED short of its last iteration is the evidence that it stopped.
        // (How soon is a timing claim, for a benchmark: usually within a second.)
        JsonNode stopped = api().awaitFinished(running, Duration.ofSeconds(60));
        assertThat(stopped.get("status").asString()).isEqualTo("CANCELLED");
        long done = stopped.get("progress").get("iteration").asLong();
        assertThat(done)
                .isPositive()
                .isLessThan(stopped.get("progress").get("totalIterations").asLong());
        JsonNode loss = api().get("/api/v1/jobs/" + running + "/curves/loss?maxPoints=20000")
                .json();
        assertThat(loss.get("totalPoints").asLong())
                .as("metrics recorded before the cancel are kept")
                .isEqualTo(done);

        // The queued job never started, even after the worker became free.
        JsonNode never = api().awaitFinished(queued, Duration.ofSeconds(5));
        assertThat(never.has("startedAt"))
                .as("a field without a value is left out")
                .isFalse();
        assertThat(never.get("result").has("trainAccuracy")).isFalse();
        assertThat(never.get("attempt").asInt()).isZero();

        ApiClient.Reply again = api().post("/api/v1/jobs/" + running + "/cancel", null, null, null);
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.contentType()).startsWith("application/problem+json");
    }

    @Test
    void listIsNewestFirstPaginatedWithTotalAndFilter() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(api().submit(TINY.replace("\"tiny\"", "\"list-" + i + "\"")));
        }
        JsonNode page = api().get("/api/v1/jobs?page=0&size=2").json();
        assertThat(page.get("items").size()).isEqualTo(2);
        assertThat(page.get("total").asLong()).isGreaterThanOrEqualTo(3);
        assertThat(page.get("items").get(0).get("id").asString()).isEqualTo(ids.get(2));
        assertThat(page.get("items").get(1).get("id").asString()).isEqualTo(ids.get(1));
        JsonNode next = api().get("/api/v1/jobs?page=1&size=2").json();
        assertThat(next.get("items").get(0).get("id").asString()).isEqualTo(ids.get(0));
        ids.forEach(id -> api().awaitFinished(id, Duration.ofSeconds(60)));
        JsonNode succeeded = api().get("/api/v1/jobs?status=SUCCEEDED&size=100").json();
        List<String> succeededIds = new ArrayList<>();
        succeeded.get("items").forEach(j -> {
            assertThat(j.get("status").asString()).isEqualTo("SUCCEEDED");
            succeededIds.add(j.get("id").asString());
        });
        assertThat(succeededIds).containsAll(ids);
        assertThat(succeeded.get("total").asLong()).isEqualTo(succeededIds.size());
    }
}
