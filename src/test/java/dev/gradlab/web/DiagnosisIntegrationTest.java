package dev.gradlab.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Real small jobs get the diagnosis their mechanism predicts, in GET /api/v1/jobs/{id}: a deep plain sigmoid MLP
 * vanishes (and the batch-norm remedy it is offered, applied to its spec, cures it), recurrent nets vanish or
 * explode through time, a deep narrow ReLU net is dead. The probe's statistics are served as layer curves.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class DiagnosisIntegrationTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(240);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @LocalServerPort
    int port;

    private static List<String> codes(JsonNode job) {
        List<String> out = new ArrayList<>();
        job.get("diagnosis").forEach(f -> out.add(f.get("code").asString()));
        return out;
    }

    private static JsonNode finding(JsonNode job, String code) {
        for (JsonNode f : job.get("diagnosis")) {
            if (f.get("code").asString().equals(code)) {
                return f;
            }
        }
        throw new AssertionError(code + " not in " + job.get("diagnosis"));
    }

    /** The job's spec (as it ran) with a remedy's changes set: what a client's "apply" does. */
    private static String applied(JsonNode job, JsonNode remedy) {
        ObjectNode spec = (ObjectNode) job.get("spec").deepCopy();
        for (JsonNode change : remedy.get("changes")) {
            String[] path = change.get("field").asString().split("\\.");
            ObjectNode node = spec;
            for (int i = 0; i < path.length - 1; i++) {
                node = (ObjectNode) node.get(path[i]);
            }
            node.set(path[path.length - 1], change.get("value"));
        }
        return JSON.writeValueAsString(spec);
    }

    @Test
    void aDeepPlainSigmoidNetVanishesAndItsBatchNormRemedyCuresIt() {
        ApiClient api = new ApiClient(port);
        String plain = api.submit("""
                {"name": "plain", "model": {"depth": 20, "width": 16, "activation": "sigmoid"},
                 "dataset": {"name": "gaussians", "samples": 400},
                 "training": {"optimizer": "adam", "learningRate": 0.01, "batchSize": 32, "epochs": 8}}""");
        JsonNode queued = api.get("/api/v1/jobs/" + plain).json();
        if ("QUEUED".equals(queued.get("status").asString())) {
            assertThat(queued.has("diagnosis"))
                    .as("nothing recorded, nothing diagnosed")
                    .isFalse();
        }
        JsonNode job = api.awaitFinished(plain, TIMEOUT);
        assertThat(job.get("status").asString()).isEqualTo("SUCCEEDED");
        JsonNode vanishing = finding(job, "VANISHING_GRADIENT");
        assertThat(vanishing.get("severity").asString()).isEqualTo("critical");
        assertThat(vanishing.get("layer").asString()).isEqualTo("dense1");
        assertThat(vanishing.get("evidence").get("threshold").asDouble()).isEqualTo(1e-3);
        assertThat(vanishing.get("evidence").get("value").asDouble()).isLessThan(1e-6);
        assertThat(codes(job)).doesNotContain("HEALTHY");
        assertThat(job.get("diagnosis").get(0).get("severity").asString())
                .as("worst first")
                .isEqualTo("critical");
        List<String> fields = new ArrayList<>();
        vanishing
                .get("remedies")
                .forEach(r -> fields.add(r.get("changes").get(0).get("field").asString()));
        assertThat(fields).contains("model.batchNorm", "model.residual");

        // Apply the batch-norm remedy as offered and run it: the gradient no longer vanishes.
        JsonNode batchNorm = null;
        for (JsonNode r : vanishing.get("remedies")) {
            if (r.get("changes").get(0).get("field").asString().equals("model.batchNorm")) {
                batchNorm = r;
            }
        }
        String cured = api.submit(applied(job, batchNorm));
        JsonNode curedJob = api.awaitFinished(cured, TIMEOUT);
        assertThat(curedJob.get("spec").get("model").get("batchNorm").asBoolean())
                .isTrue();
        assertThat(codes(curedJob)).doesNotContain("VANISHING_GRADIENT").containsExactly("HEALTHY");
        assertThat(curedJob.get("diagnosis").get(0).get("severity").asString()).isEqualTo("info");

        // The list leaves the diagnosis out (one job's findings cost several queries; a page has up to 100).
        JsonNode page = api.get("/api/v1/jobs?size=5").json();
        page.get("items").forEach(item -> assertThat(item.has("diagnosis")).isFalse());
    }

    @Test
    void recurrentNetsVanishOrExplodeThroughTimeAndNarrowReluNetsDie() {
        ApiClient api = new ApiClient(port);
        String vanishing = api.submit("""
                {"model": {"type": "rnn", "width": 16, "recurrentScale": 0.5},
                 "dataset": {"name": "remember-first", "samples": 200, "sequenceLength": 50},
                 "training": {"optimizer": "adam", "learningRate": 0.01, "batchSize": 50, "epochs": 3},
                 "metrics": {"every": 2}}""");
        String exploding = api.submit("""
                {"model": {"type": "rnn", "width": 32, "recurrentScale": 3.0},
                 "dataset": {"name": "adding", "samples": 200, "sequenceLength": 50},
                 "training": {"optimizer": "sgd", "learningRate": 0.05, "batchSize": 50, "epochs": 2},
                 "metrics": {"every": 2}}""");
        String dead = api.submit("""
                {"model": {"depth": 20, "width": 3, "activation": "relu", "weightInit": "he"},
                 "dataset": {"name": "circles", "samples": 300},
                 "training": {"optimizer": "adam", "batchSize": 32, "epochs": 3}}""");

        JsonNode v = api.awaitFinished(vanishing, TIMEOUT);
        JsonNode f = finding(v, "VANISHING_THROUGH_TIME");
        assertThat(f.get("severity").asString()).isEqualTo("critical");
        assertThat(f.get("layer").asString()).isEqualTo("rnn1");
        assertThat(f.get("evidence").get("value").asDouble()).isLessThan(1e-3);
        assertThat(f.get("remedies").get(0).get("changes").get(0).get("field").asString())
                .isEqualTo("model.cell");

        JsonNode e = api.awaitFinished(exploding, TIMEOUT);
        assertThat(codes(e))
                .containsAnyOf("EXPLODING_THROUGH_TIME", "NON_FINITE")
                .doesNotContain("HEALTHY");
        JsonNode saturated = api.get("/api/v1/jobs/" + exploding + "/curves/layers?stat=saturatedFraction")
                .json()
                .get("layers")
                .get(0);
        assertThat(saturated.get("name").asString()).isEqualTo("rnn1");
        assertThat(saturated.get("values").size()).isPositive();
        saturated.get("values").forEach(x -> assertThat(x.asDouble()).isBetween(0.0, 1.0));

        JsonNode d = api.awaitFinished(dead, TIMEOUT);
        JsonNode deadUnits = finding(d, "DEAD_UNITS");
        assertThat(deadUnits.get("evidence").get("value").asDouble()).isGreaterThanOrEqualTo(0.7);
        assertThat(deadUnits
                        .get("remedies")
                        .get(0)
                        .get("changes")
                        .get(0)
                        .get("value")
                        .asString())
                .isEqualTo("leakyrelu");
        JsonNode deadCurve = api.get("/api/v1/jobs/" + dead + "/curves/layers?stat=deadFraction")
                .json();
        String worst = deadUnits.get("layer").asString();
        deadCurve.get("layers").forEach(layer -> {
            if (layer.get("name").asString().equals(worst)) {
                assertThat(layer.get("values").get(0).asDouble())
                        .as("dead from the first probe on")
                        .isGreaterThanOrEqualTo(0.7);
            }
        });
    }

    @Test
    void aRunningJobIsDiagnosedSoFar() {
        ApiClient api = new ApiClient(port);
        String id = api.submit("""
                {"model": {"depth": 20, "width": 16, "activation": "sigmoid"},
                 "dataset": {"name": "spirals", "samples": 400},
                 "training": {"optimizer": "sgd", "batchSize": 32, "epochs": 500}}""");
        JsonNode running =
                api.awaitJob(id, j -> "RUNNING".equals(j.get("status").asString()) && j.has("diagnosis"), TIMEOUT);
        JsonNode f = finding(running, "VANISHING_GRADIENT");
        // Before 30 % of the epochs the run may still learn: a provisional warning, not yet critical.
        assertThat(f.get("severity").asString()).isEqualTo("warning");
        assertThat(f.get("summary").asString()).contains("provisional");
        api.post("/api/v1/jobs/" + id + "/cancel", null, null, null);
        JsonNode cancelled = api.awaitFinished(id, TIMEOUT);
        assertThat(cancelled.get("status").asString()).isEqualTo("CANCELLED");
        assertThat(cancelled.has("diagnosis")).isTrue();
    }
}
