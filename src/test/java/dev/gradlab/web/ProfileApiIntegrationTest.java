package dev.gradlab.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;

/**
 * Depth and time profiles over the HTTP API, each figure recomputed here from the job's own curves: the measured
 * log₁₀ norms, the least-squares slope and r², the predicted factors (mean derivative × weight scale; γ·λ₁).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class ProfileApiIntegrationTest {

    @LocalServerPort
    int port;

    ApiClient api() {
        return new ApiClient(port);
    }

    private static final String SIGMOID_MLP = """
            {"model": {"depth": 10, "width": 32},
             "dataset": {"name": "spirals", "samples": 256},
             "training": {"batchSize": 64, "epochs": 1}}""";

    @Test
    void anMlpsDepthProfileIsFittedAndPredictedFromItsOwnCurves() {
        String id = api().submit(SIGMOID_MLP);
        JsonNode job = api().awaitFinished(id, Duration.ofSeconds(120));
        assertThat(job.get("status").asString()).isEqualTo("SUCCEEDED");

        JsonNode body = api().get("/api/v1/jobs/" + id + "/profiles").json();
        assertThat(body.get("kind").asString()).isEqualTo("depth");
        assertThat(body.get("statistic").asString()).isEqualTo("weightGradientNorm");
        JsonNode profiles = body.get("profiles");
        assertThat(profiles.size()).isEqualTo(2);
        assertThat(profiles.get(0).get("iteration").asLong()).isEqualTo(1);
        assertThat(profiles.get(1).get("iteration").asLong()).isEqualTo(4);

        JsonNode first = profiles.get(0);
        assertThat(first.get("positions").size()).isEqualTo(11); // 10 dense + output
        assertThat(first.get("layers").get(10).get("name").asString()).isEqualTo("output");

        // Measured: log10 of the gradients endpoint's values at iteration 1.
        JsonNode gradients = api().get("/api/v1/jobs/" + id + "/curves/gradients?from=1&to=1")
                .json()
                .get("layers");
        double[] y = new double[11];
        for (int i = 0; i < 11; i++) {
            y[i] = Math.log10(gradients.get(i).get("norms").get(0).asDouble());
            assertThat(first.get("log10Norms").get(i).asDouble()).isCloseTo(y[i], within(1e-9));
        }
        double[] line = leastSquares(y);
        JsonNode fit = first.get("fit");
        assertThat(fit.get("slope").asDouble()).isCloseTo(line[0], within(1e-9));
        assertThat(fit.get("r2").asDouble()).isCloseTo(line[1], within(1e-9));
        assertThat(fit.get("slope").asDouble())
                .as("a 10-layer sigmoid net's gradient shrinks toward the input")
                .isLessThan(-0.2);

        // Predicted: σ̄′ of layer i times ‖W‖_F/√n_out of layer i+1, as recorded at the probe's iteration.
        JsonNode estimate = prediction(first, "chain-estimate");
        JsonNode bound = prediction(first, "chain-bound");
        assertThat(estimate.get("fromIteration").asLong()).isEqualTo(1);
        JsonNode derivative = layerValuesAt(id, "activationDerivativeMean", 1);
        JsonNode scale = layerValuesAt(id, "weightScale", 1);
        double[] implied = new double[11];
        implied[10] = y[10];
        for (int i = 0; i < 10; i++) {
            double d = derivative.get(i).get("values").get(0).asDouble();
            double s = scale.get(i + 1).get("values").get(0).asDouble();
            assertThat(d).as("σ′ ≤ 1/4").isBetween(0.0, 0.25);
            assertThat(estimate.get("factors").get(i).asDouble()).isCloseTo(d * s, within(1e-9 * d * s));
            assertThat(bound.get("factors").get(i).asDouble()).isCloseTo(0.25 * s, within(1e-9 * s));
        }
        for (int i = 9; i >= 0; i--) {
            implied[i] =
                    implied[i + 1] + Math.log10(estimate.get("factors").get(i).asDouble());
        }
        for (int i = 0; i < 11; i++) {
            assertThat(estimate.get("log10Norms").get(i).asDouble()).isCloseTo(implied[i], within(1e-9));
        }
        assertThat(estimate.get("slope").asDouble()).isCloseTo(leastSquares(implied)[0], within(1e-9));
        assertThat(estimate.get("slope").asDouble())
                .as("the bound is at least the estimate")
                .isLessThanOrEqualTo(bound.get("slope").asDouble());
        assertThat(first.get("notes").toString()).contains("biasGradientNorm");

        // A chosen iteration, the bias statistic, and iterations past the end.
        JsonNode at = api().get("/api/v1/jobs/" + id + "/profiles?iteration=3&iteration=999&stat=biasGradientNorm")
                .json();
        assertThat(at.get("statistic").asString()).isEqualTo("biasGradientNorm");
        assertThat(at.get("profiles").get(0).get("iteration").asLong()).isEqualTo(3);
        assertThat(at.get("profiles").get(1).get("iteration").asLong()).isEqualTo(4);
        assertThat(prediction(at.get("profiles").get(0), "chain-estimate")
                        .get("fromIteration")
                        .asLong())
                .as("the probe ran at 1 and at the last iteration only")
                .isEqualTo(1);
    }

    @Test
    void badParametersAre400AndAnUnknownJob404() {
        String id = api().submit(SIGMOID_MLP);
        assertThat(api().get("/api/v1/jobs/" + id + "/profiles?iteration=0").status())
                .isEqualTo(400);
        assertThat(api().get("/api/v1/jobs/" + id + "/profiles?stat=loss").status())
                .isEqualTo(400);
        assertThat(api().get("/api/v1/jobs/" + id + "/profiles?iteration=1&iteration=2&iteration=3&iteration=4"
                                + "&iteration=5&iteration=6&iteration=7&iteration=8&iteration=9")
                        .status())
                .isEqualTo(400);
        assertThat(api().get("/api/v1/jobs/00000000-0000-0000-0000-000000000000/profiles")
                        .status())
                .isEqualTo(404);
        api().awaitFinished(id, Duration.ofSeconds(120));
    }

    /** GradLab's W_rec starts orthogonal × recurrentScale: λ₁ = 0.5, so Pascanu's bound is log₁₀ 0.5 per step. */
    @Test
    void aSimpleRnnsTimeProfileSitsUnderPascanusBound() {
        String id = api().submit("""
                {"model": {"type": "rnn", "width": 16, "recurrentScale": 0.5},
                 "dataset": {"name": "adding", "samples": 128, "sequenceLength": 30},
                 "training": {"optimizer": "sgd", "learningRate": 0.05, "batchSize": 64, "epochs": 1}}""");
        JsonNode job = api().awaitFinished(id, Duration.ofSeconds(120));
        assertThat(job.get("status").asString()).isEqualTo("SUCCEEDED");
        JsonNode body =
                api().get("/api/v1/jobs/" + id + "/profiles?iteration=1").json();
        assertThat(body.get("kind").asString()).isEqualTo("time");
        assertThat(body.get("statistic").asString()).isEqualTo("inputGradientNorm");
        JsonNode first = body.get("profiles").get(0);
        assertThat(first.get("positions").size()).isEqualTo(30);
        JsonNode norms = api().get("/api/v1/jobs/" + id + "/curves/timesteps?iteration=1")
                .json()
                .get("norms");
        double[] y = new double[30];
        for (int t = 0; t < 30; t++) {
            y[t] = Math.log10(norms.get(t).asDouble());
        }
        double measured = first.get("fit").get("slope").asDouble();
        assertThat(measured).isCloseTo(leastSquares(y)[0], within(1e-9));
        JsonNode pascanu = prediction(first, "pascanu-bound");
        assertThat(pascanu.get("slope").asDouble()).isCloseTo(Math.log10(0.5), within(1e-4));
        assertThat(measured)
                .as("the bound holds")
                .isLessThanOrEqualTo(pascanu.get("slope").asDouble() + 0.01);
        JsonNode estimate = prediction(first, "mean-derivative-estimate");
        assertThat(estimate.get("slope").asDouble())
                .isLessThanOrEqualTo(pascanu.get("slope").asDouble());
    }

    @Test
    void anLstmGetsNoPrediction() {
        String id = api().submit("""
                {"model": {"type": "rnn", "cell": "lstm", "width": 8},
                 "dataset": {"name": "adding", "samples": 64, "sequenceLength": 10},
                 "training": {"batchSize": 64, "epochs": 1}}""");
        api().awaitFinished(id, Duration.ofSeconds(120));
        JsonNode first = api().get("/api/v1/jobs/" + id + "/profiles")
                .json()
                .get("profiles")
                .get(0);
        assertThat(first.get("fit").get("points").asInt()).isEqualTo(10);
        assertThat(first.get("predictions").size()).isZero();
        assertThat(first.get("notes").toString()).contains("LSTM");
    }

    @Test
    void aStudyGivesEachVariantsSlopesOverItsRepeats() {
        ApiClient.Reply created = api().post("/api/v1/studies", """
                {"name": "profiles", "base": %s, "vary": {"model.batchNorm": [false, true]}, "repeats": 2}""".formatted(StudyApiIntegrationTest.TINY_BASE));
        assertThat(created.status()).as(created.body()).isEqualTo(202);
        String id = created.json().get("id").asString();
        api().awaitStudy(id, Duration.ofSeconds(180));
        JsonNode body = api().get("/api/v1/studies/" + id + "/profiles?at=last").json();
        assertThat(body.get("at").asString()).isEqualTo("last");
        assertThat(body.get("variants").size()).isEqualTo(2);
        for (JsonNode v : body.get("variants")) {
            assertThat(v.get("repeats").size()).isEqualTo(2);
            List<Double> slopes = new ArrayList<>();
            for (JsonNode r : v.get("repeats")) {
                JsonNode own = api().get("/api/v1/jobs/" + r.get("jobId").asString() + "/profiles")
                        .json()
                        .get("profiles")
                        .get(1);
                assertThat(r.get("profile").get("iteration").asLong())
                        .isEqualTo(own.get("iteration").asLong());
                slopes.add(own.get("fit").get("slope").asDouble());
            }
            assertThat(v.get("slope").get("n").asInt()).isEqualTo(2);
            assertThat(v.get("slope").get("median").asDouble())
                    .isCloseTo((slopes.get(0) + slopes.get(1)) / 2, within(1e-9));
            assertThat(v.get("predictedSlopes").size()).isEqualTo(2);
        }
        assertThat(api().get("/api/v1/studies/" + id + "/profiles?at=middle").status())
                .isEqualTo(400);
        assertThat(api().get("/api/v1/studies/00000000-0000-0000-0000-000000000000/profiles")
                        .status())
                .isEqualTo(404);
    }

    private static JsonNode prediction(JsonNode profile, String method) {
        for (JsonNode p : profile.get("predictions")) {
            if (p.get("method").asString().equals(method)) {
                return p;
            }
        }
        throw new AssertionError("no " + method + " prediction in " + profile);
    }

    private JsonNode layerValuesAt(String id, String stat, long iteration) {
        return api().get("/api/v1/jobs/" + id + "/curves/layers?stat=" + stat + "&from=" + iteration + "&to="
                        + iteration)
                .json()
                .get("layers");
    }

    /** {slope, r²} of y against steps back from the top (x = n−1 … 0). */
    private static double[] leastSquares(double[] y) {
        int n = y.length;
        double mx = 0;
        double my = 0;
        for (int i = 0; i < n; i++) {
            mx += n - 1 - i;
            my += y[i];
        }
        mx /= n;
        my /= n;
        double sxx = 0;
        double sxy = 0;
        double syy = 0;
        for (int i = 0; i < n; i++) {
            double dx = n - 1 - i - mx;
            sxx += dx * dx;
            sxy += dx * (y[i] - my);
            syy += (y[i] - my) * (y[i] - my);
        }
        return new double[] {sxy / sxx, sxy * sxy / (sxx * syy)};
    }
}
