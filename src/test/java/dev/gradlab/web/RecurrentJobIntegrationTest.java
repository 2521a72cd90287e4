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
        assertThat(job.get("spec").get("model").propertyNames()).doesNotContain("residual", "batchNorm", "blockStyle",
                "batchNormPlacement", "forgetGateBias");
        assertThat(job.get("spec").get("dataset").propertyNames()).doesNotContain("classes", "noise");

        JsonNode iterations = api.get("/api/v1/jobs/" + id + "/curves/timesteps/iterations").json().get("iterations");
        assertThat(iterations.toString()).isEqualTo("[1,4,7,8]"); // every 3rd from the first, plus the last (8)

        JsonNode first = api.get("/api/v1/jobs/" + id + "/curves/timesteps").json();
        assertThat(first.get("iteration").asLong()).isEqualTo(1);
        assertThat(first.get("timesteps").size()).isEqualTo(30);
        assertThat(first.get("norms").size()).isEqualTo(30);
        double earliest = first.get("norms").get(0).asDouble();
        double latest = first.get("norms").get(29).asDouble();
        assertThat(earliest / latest).as("scale 0.5 vanishes through 30 steps").isLessThan(1e-5).isPositive();
        // The job states the same ratio itself, at the first and the last recorded iteration.
        JsonNode ratio = job.get("result").get("gradientRatio");
        assertThat(ratio.get("measure").asString()).isEqualTo("firstToLastTimestep");
        assertThat(ratio.get("numerator").asString() + "/" + ratio.get("denominator").asString()).isEqualTo("t=1/t=30");
        assertThat(ratio.get("start").asDouble()).isCloseTo(earliest / latest, withinPercentage(1e-6));
        assertThat(ratio.get("endIteration").asLong()).isEqualTo(8);
        JsonNode last = api.get("/api/v1/jobs/" + id + "/curves/timesteps?iteration=8").json().get("norms");
        assertThat(ratio.get("end").asDouble()).isCloseTo(last.get(0).asDouble() / last.get(29).asDouble(),
                withinPercentage(1e-6));

        assertThat(api.get("/api/v1/jobs/" + id + "/curves/timesteps?iteration=8").json().get("iteration").asLong())
                .isEqualTo(8);
        ApiClient.Reply missing = api.get("/api/v1/jobs/" + id + "/curves/timesteps?iteration=5");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.contentType()).startsWith("application/problem+json");
        assertThat(missing.body()).contains("iteration 5");

        JsonNode recurrent = api.get("/api/v1/jobs/" + id + "/curves/gradients?stat=recurrentWeightGradientNorm").json();
        JsonNode rnn = recurrent.get("layers").get(0);
        assertThat(rnn.get("kind").asString()).isEqualTo("recurrent");
        assertThat(rnn.get("norms").size()).isEqualTo(4);
        JsonNode clipped = api.get("/api/v1/jobs/" + id + "/curves/gradients?stat=clippedRecurrentWeightGradientNorm")
                .json().get("layers").get(0).get("norms");
        clipped.forEach(v -> assertThat(v.asDouble()).isLessThanOrEqualTo(1.0 + 1e-9));
    }

    @Test
    void explodingRnnEndsDivergedWithItsCurvesUpToThere() {
        ApiClient api = new ApiClient(port);
        String id = api.submit("""
                {"model": {"type": "rnn", "width": 64, "recurrentScale": 3.0},
                 "dataset": {"name": "adding", "samples": 1000, "sequenceLength": 100},
                 "training": {"optimizer": "sgd", "learningRate": 0.05, "batchSize": 50, "epochs": 3},
                 "metrics": {"every": 5}}""");
        JsonNode job = api.awaitFinished(id, Duration.ofSeconds(120));
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

        JsonNode loss = api.get("/api/v1/jobs/" + id + "/curves/loss?maxPoints=20000").json();
        assertThat(loss.get("totalPoints").asLong()).isEqualTo(at);
        int last = loss.get("values").size() - 1;
        assertThat(loss.get("values").get(last).isNull()).isTrue();
        assertThat(loss.get("nonFinite").toString()).contains("{\"position\":" + last + ",");
        assertThat(loss.get("values").get(0).asDouble()).isPositive();
    }
}
