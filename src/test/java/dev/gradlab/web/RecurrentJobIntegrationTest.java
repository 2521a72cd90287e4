package dev.gradlab.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withinPercentage;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;

/** Recurrent jobs go through the same queue, storage and curve endpoints as MLPs, plus gradients through time. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class RecurrentJobIntegrationTest {

    @LocalServerPort
    int port;

    @Test
    void clippedRnnRecordsGradientsThroughTime() {
        ApiClient api = new ApiClient(port);
        String id = api.submit("""
                {"model": {"type": "rnn", "width": 16, "recurrentScale": 0.5},
                 "dataset": {"name": "remember-first", "samples": 200, "sequenceLength": 30},
                 "training": {"optimizer": "sgd", "learningRate": 0.05, "batchSize": 40, "epochs": 2,
                              "gradientClipping": {"mode": "clipL2PerLayer", "threshold": 1.0}},
                 "metrics": {"every": 3}}""");
        JsonNode job = api.awaitFinished(id, Duration.ofSeconds(60));
        assertThat(job.get("status").asString()).isEqualTo("SUCCEEDED");
        assertThat(job.get("spec").get("model").get("cell").asString()).isEqualTo("simple");
        assertThat(job.get("spec").get("model").get("activation").asString()).isEqualTo("tanh");
        // Fields that do not apply to an rnn on remember-first are left out, not null.
        assertThat(job.get("spec").get("model").propertyNames())
                .doesNotContain("residual", "batchNorm", "blockStyle", "batchNormPlacement", "forgetGateBias");
        assertThat(job.get("spec").get("dataset").propertyNames()).doesNotContain("classes", "noise");

        JsonNode iterations = api.get("/api/v1/jobs/" + id + "/curves/timesteps/iterations")
                .json()
                .get("iterations");
        assertThat(iterations.toString()).isEqualTo("[1,4,7,8]"); // every 3rd from the first, plus the last (8)

        JsonNode first = api.get("/api/v1/jobs/" + id + "/curves/timesteps").json();
        assertThat(first.get("iteration").asLong()).isEqualTo(1);
        assertThat(first.get("timesteps").size()).isEqualTo(30);
        assertThat(first.get("norms").size()).isEqualTo(30);
        double earliest = first.get("norms").get(0).asDouble();
        double latest = first.get("norms").get(29).asDouble();
        assertThat(earliest / latest)
                .as("scale 0.5 vanishes through 30 steps")
                .isLessThan(1e-5)
                .isPositive();
        // The job states the same ratio itself, at the first and the last recorded iteration.
        JsonNode ratio = job.get("result").get("gradientRatio");
        assertThat(ratio.get("measure").asString()).isEqualTo("firstToLastTimestep");
        assertThat(ratio.get("numerator").asString() + "/"
                        + ratio.get("denominator").asString())
                .isEqualTo("t=1/t=30");
        assertThat(ratio.get("start").asDouble()).isCloseTo(earliest / latest, withinPercentage(1e-6));
        assertThat(ratio.get("endIteration").asLong()).isEqualTo(8);
        JsonNode last = api.get("/api/v1/jobs/" + id + "/curves/timesteps?iteration=8")
                .json()
                .get("norms");
        assertThat(ratio.get("end").asDouble())
                .isCloseTo(last.get(0).asDouble() / last.get(29).asDouble(), withinPercentage(1e-6));

        assertThat(api.get("/api/v1/jobs/" + id + "/curves/timesteps?iteration=8")
                        .json()
                        .get("iteration")
                        .asLong())
                .isEqualTo(8);
        ApiClient.Reply missing = api.get("/api/v1/jobs/" + id + "/curves/timesteps?iteration=5");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.contentType()).startsWith("application/problem+json");
        assertThat(missing.body()).contains("iteration 5");

        JsonNode recurrent = api.get("/api/v1/jobs/" + id + "/curves/gradients?stat=recurrentWeightGradientNorm")
                .json();
        JsonNode rnn = recurrent.get("layers").get(0);
        assertThat(rnn.get("kind").asString()).isEqualTo("recurrent");
        assertThat(rnn.get("norms").size()).isEqualTo(4);
        JsonNode clipped = api.get("/api/v1/jobs/" + id + "/curves/gradients?stat=clippedRecurrentWeightGradientNorm")
                .json()
                .get("layers")
                .get(0)
                .get("norms");
        assertThat(clipped.size())
                .as("the clipped series is recorded when clipping is on")
                .isEqualTo(4);
    }

    /** W_rec at 3× orthogonal on the adding problem (T = 100): the gradient explodes through time. */
    static String exploding(String clipping) {
        return """
                {"model": {"type": "rnn", "width": 64, "recurrentScale": 3.0},
                 "dataset": {"name": "adding", "samples": 1000, "sequenceLength": 100},
                 "training": {"optimizer": "sgd", "learningRate": 0.05, "batchSize": 50, "epochs": 3%s},
                 "metrics": {"every": 5}}""".formatted(clipping);
    }

    /**
     * Clipping's effect as the API shows it. The parameters are not visible over HTTP, but the update ratio
     * ‖ΔW‖/‖W‖ of the recurrent layer's input weights is read from the update DL4J applied (and W after it). With
     * the raw gradient at ~10¹³, an unclipped SGD step swamps W, which is then ≈ −ΔW: the ratio reads ≈ 1 (1.00
     * measured). A step clipped to ‖g_layer‖ ≤ 1 at learning rate 0.05 moves W by at most 0.05 (‖W‖ ≈ 2 at Xavier
     * init): 0.006 at the first iteration and at most 0.015 over the run, measured. So: same spec, same raw
     * gradient; the unclipped run diverges after a first update as large as the weights, the clipped one stays
     * finite to the end with every update a small fraction of W.
     */
    @Test
    void explodingRnnDivergesUnclippedAndClippingKeepsEveryUpdateSmall() {
        ApiClient api = new ApiClient(port);
        String id = api.submit(exploding(""));
        String clippedId =
                api.submit(exploding(", \"gradientClipping\": {\"mode\": \"clipL2PerLayer\", \"threshold\": 1.0}"));
        JsonNode job = api.awaitFinished(id, Duration.ofSeconds(180));
        assertThat(job.get("status").asString()).isEqualTo("DIVERGED");
        JsonNode divergence = job.get("result").get("divergence");
        long at = divergence.get("iteration").asLong();
        assertThat(at).isBetween(5L, 60L);
        assertThat(divergence.get("layer").asString()).isNotBlank();
        // A non-finite final loss is left out of the result and spelled in its nonFinite list.
        assertThat(job.get("result").has("finalLoss")).isFalse();
        JsonNode spelled = job.get("result").get("nonFinite").get(0);
        assertThat(spelled.get("field").asString()).isEqualTo("finalLoss");
        assertThat(spelled.get("value").asString()).isIn("NaN", "Infinity", "-Infinity");

        JsonNode loss =
                api.get("/api/v1/jobs/" + id + "/curves/loss?maxPoints=20000").json();
        assertThat(loss.get("totalPoints").asLong()).isEqualTo(at);
        int last = loss.get("values").size() - 1;
        assertThat(loss.get("values").get(last).isNull()).isTrue();
        assertThat(loss.get("nonFinite").toString()).contains("{\"position\":" + last + ",");
        assertThat(loss.get("values").get(0).asDouble()).isPositive();
        double firstRawRecurrent = firstRecurrentNorm(api, id);
        double firstUnclippedRatio = updateRatios(api, id).get(0).asDouble();

        JsonNode clipped = api.awaitFinished(clippedId, Duration.ofSeconds(180));
        assertThat(clipped.get("status").asString()).isEqualTo("SUCCEEDED");
        JsonNode clippedLoss = api.get("/api/v1/jobs/" + clippedId + "/curves/loss?maxPoints=20000")
                .json();
        assertThat(clippedLoss.get("totalPoints").asLong()).isEqualTo(48); // 800 training examples / 50 × 3
        assertThat(clippedLoss.get("nonFinite").size()).as("every loss finite").isZero();
        assertThat(firstRecurrentNorm(api, clippedId))
                .as("the same raw gradient as the unclipped run")
                .isGreaterThan(1e11)
                .isCloseTo(firstRawRecurrent, org.assertj.core.data.Percentage.withPercentage(1));
        JsonNode ratios = updateRatios(api, clippedId);
        assertThat(ratios.size()).isEqualTo(11); // iterations 1, 6, ..., 46 and the last, 48
        System.out.printf(
                "update ratio at iteration 1: %.3g unclipped, %.3g clipped; clipped max %.3g%n",
                firstUnclippedRatio, ratios.get(0).asDouble(), max(ratios));
        assertThat(firstUnclippedRatio).as("the unclipped first step swamps W").isGreaterThan(0.5);
        ratios.forEach(v -> assertThat(v.asDouble()).as("clipped ‖ΔW‖/‖W‖").isLessThan(0.1));
    }

    private static double firstRecurrentNorm(ApiClient api, String id) {
        return api.get("/api/v1/jobs/" + id + "/curves/gradients?stat=recurrentWeightGradientNorm")
                .json()
                .get("layers")
                .get(0)
                .get("norms")
                .get(0)
                .asDouble();
    }

    /** The recurrent layer's ‖ΔW‖/‖W‖ at each recorded iteration. */
    private static JsonNode updateRatios(ApiClient api, String id) {
        return api.get("/api/v1/jobs/" + id + "/curves/layers?stat=updateRatio")
                .json()
                .get("layers")
                .get(0)
                .get("values");
    }

    private static double max(JsonNode values) {
        double m = Double.NEGATIVE_INFINITY;
        for (JsonNode v : values) {
            m = Math.max(m, v.asDouble());
        }
        return m;
    }
}
