package dev.gradlab.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

/**
 * Bad requests, table-driven: each gets the right 4xx as application/problem+json that names the problem, never a
 * stack trace, and the service keeps answering afterwards.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ErrorResponsesIntegrationTest {

    private static final String JOBS = "/api/v1/jobs";
    private static final String UNKNOWN = "/api/v1/jobs/00000000-0000-0000-0000-000000000000";

    @LocalServerPort
    int port;

    static Stream<Arguments> badPosts() {
        return Stream.of(
                Arguments.of("depth zero", "{\"model\":{\"depth\":0}}", 400, "model.depth"),
                Arguments.of("depth 10^9", "{\"model\":{\"depth\":1000000000}}", 400, "model.depth"),
                Arguments.of("negative width", "{\"model\":{\"width\":-5}}", 400, "model.width"),
                Arguments.of(
                        "width·depth over the parameter limit",
                        "{\"model\":{\"depth\":200,\"width\":1024}}",
                        400,
                        "gradlab.limits.max-parameters"),
                Arguments.of(
                        "too many iterations",
                        "{\"training\":{\"batchSize\":1,\"epochs\":10000}}",
                        400,
                        "gradlab.limits.max-total-iterations"),
                Arguments.of("unknown enum", "{\"model\":{\"activation\":\"swish\"}}", 400, "sigmoid, tanh"),
                Arguments.of("unknown dataset", "{\"dataset\":{\"name\":\"cifar-10\"}}", 400, "dataset.name"),
                Arguments.of("unknown field", "{\"model\":{\"depht\":3}}", 400, "model.depht"),
                Arguments.of("unknown top-level field", "{\"modle\":{}}", 400, "modle"),
                Arguments.of("wrong type", "{\"model\":{\"depth\":\"deep\"}}", 400, "model.depth"),
                Arguments.of("array for object", "{\"model\":[1,2]}", 400, "model"),
                Arguments.of("NaN token", "{\"training\":{\"learningRate\":NaN}}", 400, "malformed JSON"),
                Arguments.of("NaN string", "{\"training\":{\"learningRate\":\"NaN\"}}", 400, "finite"),
                Arguments.of("zero learning rate", "{\"training\":{\"learningRate\":0}}", 400, "training.learningRate"),
                Arguments.of(
                        "huge learning rate", "{\"training\":{\"learningRate\":1e308}}", 400, "training.learningRate"),
                Arguments.of("negative noise", "{\"dataset\":{\"noise\":-1}}", 400, "dataset.noise"),
                Arguments.of(
                        "xor with 3 classes", "{\"dataset\":{\"name\":\"xor\",\"classes\":3}}", 400, "dataset.classes"),
                Arguments.of(
                        "features on spirals",
                        "{\"dataset\":{\"name\":\"spirals\",\"features\":3}}",
                        400,
                        "dataset.features"),
                Arguments.of(
                        "features 5000",
                        "{\"dataset\":{\"name\":\"random\",\"features\":5000}}",
                        400,
                        "dataset.features"),
                Arguments.of(
                        "samples × features over the dataset limit",
                        "{\"dataset\":{\"name\":\"random\",\"samples\":100000,\"features\":4096}}",
                        400,
                        "gradlab.limits.max-dataset-values"),
                Arguments.of(
                        "one step's activations over the memory limit",
                        "{\"model\":{\"depth\":100,\"width\":138},\"dataset\":{\"samples\":10000},"
                                + "\"training\":{\"batchSize\":4096}}",
                        400,
                        "gradlab.limits.max-activation-values"),
                Arguments.of(
                        "unknown clipping",
                        "{\"training\":{\"gradientClipping\":{\"mode\":\"clipAll\"}}}",
                        400,
                        "training.gradientClipping.mode"),
                Arguments.of(
                        "negative threshold",
                        "{\"training\":{\"gradientClipping\":{\"mode\":\"clipL2PerLayer\"," + "\"threshold\":-1}}}",
                        400,
                        "training.gradientClipping.threshold"),
                Arguments.of("metrics.every zero", "{\"metrics\":{\"every\":0}}", 400, "metrics.every"),
                Arguments.of(
                        "rnn on a 2-D dataset",
                        "{\"model\":{\"type\":\"rnn\"},\"dataset\":{\"name\":\"spirals\"}}",
                        400,
                        "dataset.name"),
                Arguments.of("rnn too deep", "{\"model\":{\"type\":\"rnn\",\"depth\":9}}", 400, "model.depth"),
                Arguments.of(
                        "forget-gate bias on a simple cell",
                        "{\"model\":{\"type\":\"rnn\",\"forgetGateBias\":5}}",
                        400,
                        "model.forgetGateBias"),
                Arguments.of(
                        "sequence too long",
                        "{\"model\":{\"type\":\"rnn\"},\"dataset\":{\"sequenceLength\":100000}}",
                        400,
                        "dataset.sequenceLength"),
                Arguments.of("malformed JSON", "{\"model\":", 400, "malformed JSON"),
                Arguments.of("not JSON at all", "hello", 400, "malformed JSON"),
                Arguments.of("empty body", "", 400, "missing"),
                Arguments.of("long name", "{\"name\":\"" + "x".repeat(300) + "\"}", 400, "name"),
                Arguments.of("NUL in name", "{\"name\":\"a\\u0000b\"}", 400, "NUL"),
                Arguments.of("fractional depth", "{\"model\":{\"depth\":2.5}}", 400, "whole number"),
                Arguments.of("number for a boolean", "{\"model\":{\"residual\":3}}", 400, "model.residual"),
                Arguments.of("string for a boolean", "{\"model\":{\"residual\":\"yes\"}}", 400, "true or false"),
                Arguments.of("boolean for a number", "{\"model\":{\"width\":true}}", 400, "model.width"),
                Arguments.of("depth past int", "{\"model\":{\"depth\":99999999999999999999}}", 400, "out of range"),
                Arguments.of("samples past int", "{\"dataset\":{\"samples\":2147483648}}", 400, "dataset.samples"),
                Arguments.of("too many samples", "{\"dataset\":{\"samples\":100000000}}", 400, "dataset.samples"),
                Arguments.of("negative epochs", "{\"training\":{\"epochs\":-1}}", 400, "training.epochs"),
                Arguments.of("zero batch size", "{\"training\":{\"batchSize\":0}}", 400, "training.batchSize"),
                Arguments.of(
                        "learning rate overflowing to Infinity",
                        "{\"training\":{\"learningRate\":1e400}}",
                        400,
                        "finite"),
                Arguments.of("Infinity string", "{\"training\":{\"learningRate\":\"Infinity\"}}", 400, "finite"),
                Arguments.of("unknown optimizer", "{\"training\":{\"optimizer\":\"lbfgs\"}}", 400, "sgd"),
                Arguments.of("duplicate key", "{\"model\":{\"depth\":2,\"depth\":3}}", 400, "Duplicate"),
                Arguments.of("trailing garbage", "{\"model\":{}} x", 400, "malformed JSON"),
                Arguments.of("JSON null", "null", 400, "missing"),
                Arguments.of("array instead of a spec", "[]", 400, "JSON object"),
                Arguments.of("nested 10,000 deep", "[".repeat(10_000) + "]".repeat(10_000), 400, "JSON object"),
                Arguments.of("string instead of a spec", "\"spec\"", 400, "JSON object"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badPosts")
    void badSpecsAreProblems(String what, String body, int status, String mentioned) {
        ApiClient.Reply r = new ApiClient(port).post(JOBS, body);
        assertProblem(r, status, mentioned);
    }

    static Stream<Arguments> badGets() {
        return Stream.of(
                Arguments.of("unknown job", UNKNOWN, 404, "no job"),
                Arguments.of("not a UUID", JOBS + "/not-a-uuid", 400, "UUID"),
                Arguments.of("path traversal", JOBS + "/..%2F..%2Fetc%2Fpasswd", 400, "unsafe URL"),
                Arguments.of("curves of unknown job", UNKNOWN + "/curves/loss", 404, "no job"),
                Arguments.of("unknown status filter", JOBS + "?status=DONE", 400, "QUEUED"),
                Arguments.of("page size too big", JOBS + "?size=1000", 400, "size"),
                Arguments.of("negative page", JOBS + "?page=-1", 400, "page"),
                Arguments.of("maxPoints too small", UNKNOWN + "/curves/loss?maxPoints=1", 400, "maxPoints"),
                Arguments.of(
                        "maxPoints over the cap", UNKNOWN + "/curves/gradients?maxPoints=100000000", 400, "maxPoints"),
                Arguments.of("to before from", UNKNOWN + "/curves/loss?from=10&to=5", 400, "to"),
                Arguments.of("unknown stat", UNKNOWN + "/curves/layers?stat=foo", 400, "stat"),
                Arguments.of(
                        "non-gradient stat on gradients", UNKNOWN + "/curves/gradients?stat=updateRatio", 400, "stat"),
                Arguments.of("timesteps of unknown job", UNKNOWN + "/curves/timesteps", 404, "no job"),
                Arguments.of("timestep iteration 0", UNKNOWN + "/curves/timesteps?iteration=0", 400, "iteration"),
                Arguments.of("unknown path", "/api/v1/nothing", 404, ""),
                // Spring Security's firewall refuses a URL that is not normalised, whatever it would resolve to.
                Arguments.of("dot-dot path", JOBS + "/../../etc/passwd", 400, "unsafe URL"),
                Arguments.of("encoded dot-dot path", JOBS + "/%2e%2e/%2e%2e/etc/passwd", 400, "unsafe URL"),
                Arguments.of("backslash traversal", JOBS + "/..%5c..%5cetc%5cpasswd", 400, "unsafe URL"),
                Arguments.of("NUL in an id", JOBS + "/%00", 400, "unsafe URL"),
                Arguments.of("5,000-character id", JOBS + "/" + "a".repeat(5000), 400, "UUID"),
                Arguments.of("cancel with GET", UNKNOWN + "/cancel", 405, "GET"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badGets")
    void badReadsAreProblems(String what, String path, int status, String mentioned) {
        ApiClient api = new ApiClient(port);
        if (what.contains("dot-dot")) {
            // The contract expects 404 for a path no operation matches; these never reach path matching.
            api = api.exemptFromContract("Spring Security's firewall refuses a URL that is not normalised (400 "
                    + "problem+json, unsafe URL) before any path is matched");
        }
        assertProblem(api.get(path), status, mentioned);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"text/plain", "application/xml", "application/x-www-form-urlencoded", "none"})
    void wrongContentTypesAre415(String type) {
        ApiClient.Reply r = new ApiClient(port).post(JOBS, "{}", type.equals("none") ? null : type, null);
        assertProblem(r, 415, type.equals("none") ? "not supported" : type);
    }

    @Test
    void cancellingTwiceIs409() {
        ApiClient api = new ApiClient(port);
        // A long job, so the first cancel always finds it queued or running (a tiny one could finish first).
        String id = api.submit(JobApiIntegrationTest.LONG);
        assertThat(api.post(JOBS + "/" + id + "/cancel", null, null, null).status())
                .isEqualTo(200);
        api.awaitFinished(id, Duration.ofSeconds(60));
        assertProblem(api.post(JOBS + "/" + id + "/cancel", null, null, null), 409, "can no longer be cancelled");
        assertProblem(api.post(JOBS + "/" + id + "/cancel", null, null, null), 409, "can no longer be cancelled");
    }

    @Test
    void oversizedBodiesAre413WithOrWithoutContentLength() {
        String big = "{\"name\":\"" + "x".repeat(10 * 1024 * 1024) + "\"}";
        assertProblem(new ApiClient(port).post(JOBS, big), 413, "larger than");
        // Streamed without a Content-Length: the limit applies while reading. (200 KB, not 10 MB: past Tomcat's
        // 2 MB swallow limit the server closes the socket mid-upload and the client sees a broken pipe, not a reply.)
        String streamed = "{\"name\":\"" + "x".repeat(200 * 1024) + "\"}";
        HttpRequest.Builder chunked = HttpRequest.newBuilder(URI.create("http://localhost:" + port + JOBS))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(
                        () -> new java.io.ByteArrayInputStream(streamed.getBytes(StandardCharsets.UTF_8))));
        assertProblem(new ApiClient(port).send(chunked), 413, "larger than");
    }

    @Test
    void unknownMethodIs405AndCancellingUnknownJobIs404() {
        ApiClient api = new ApiClient(port);
        assertProblem(
                api.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + JOBS))
                        .DELETE()),
                405,
                "DELETE");
        assertProblem(api.post(UNKNOWN + "/cancel", null, null, null), 404, "no job");
    }

    /** Last, after every other case here: the service is unharmed. */
    @Test
    @Order(Integer.MAX_VALUE)
    void serviceStillServesAfterTheAbuse() {
        ApiClient api = new ApiClient(port);
        for (int i = 0; i < 20; i++) {
            api.post(JOBS, "{\"model\":");
            api.get(JOBS + "/x");
        }
        String id = api.submit(
                "{\"model\":{\"depth\":2,\"width\":4},\"dataset\":{\"samples\":100}," + "\"training\":{\"epochs\":1}}");
        assertThat(api.awaitFinished(id, Duration.ofSeconds(60)).get("status").asString())
                .isEqualTo("SUCCEEDED");
        assertThat(api.get("/actuator/health").status()).isEqualTo(200);
    }

    private static void assertProblem(ApiClient.Reply r, int status, String mentioned) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.contentType()).as(r.body()).startsWith("application/problem+json");
        assertThat(r.json().get("status").asInt()).isEqualTo(status);
        assertThat(r.json().has("code")).as(r.body()).isTrue();
        assertThat(r.json().get("type").asString()).as(r.body()).isEqualTo("about:blank");
        assertThat(r.body()).contains(mentioned);
        assertThat(r.body()).doesNotContain("Exception").doesNotContain("\tat ").doesNotContain("dev.gradlab");
    }
}
