package dev.gradlab.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

/**
 * Bad requests, table-driven: each gets the right 4xx as application/problem+json that names the problem, never a
 * stack trace, and the service keeps answering afterwards.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
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
                Arguments.of("width·depth over the parameter limit", "{\"model\":{\"depth\":200,\"width\":1024}}", 400,
                        "gradlab.limits.max-parameters"),
                Arguments.of("too many iterations", "{\"training\":{\"batchSize\":1,\"epochs\":10000}}", 400,
                        "gradlab.limits.max-total-iterations"),
                Arguments.of("unknown enum", "{\"model\":{\"activation\":\"swish\"}}", 400, "sigmoid, tanh"),
                Arguments.of("unknown dataset", "{\"dataset\":{\"name\":\"mnist\"}}", 400, "dataset.name"),
                Arguments.of("unknown field", "{\"model\":{\"depht\":3}}", 400, "model.depht"),
                Arguments.of("unknown top-level field", "{\"modle\":{}}", 400, "modle"),
                Arguments.of("wrong type", "{\"model\":{\"depth\":\"deep\"}}", 400, "model.depth"),
                Arguments.of("array for object", "{\"model\":[1,2]}", 400, "model"),
                Arguments.of("NaN token", "{\"training\":{\"learningRate\":NaN}}", 400, "malformed JSON"),
                Arguments.of("NaN string", "{\"training\":{\"learningRate\":\"NaN\"}}", 400, "finite"),
                Arguments.of("zero learning rate", "{\"training\":{\"learningRate\":0}}", 400, "training.learningRate"),
                Arguments.of("huge learning rate", "{\"training\":{\"learningRate\":1e308}}", 400, "training.learningRate"),
                Arguments.of("negative noise", "{\"dataset\":{\"noise\":-1}}", 400, "dataset.noise"),
                Arguments.of("xor with 3 classes", "{\"dataset\":{\"name\":\"xor\",\"classes\":3}}", 400, "dataset.classes"),
                Arguments.of("unknown clipping", "{\"training\":{\"gradientClipping\":{\"mode\":\"clipAll\"}}}", 400,
                        "training.gradientClipping.mode"),
                Arguments.of("negative threshold", "{\"training\":{\"gradientClipping\":{\"mode\":\"clipL2PerLayer\","
                        + "\"threshold\":-1}}}", 400, "training.gradientClipping.threshold"),
                Arguments.of("metrics.every zero", "{\"metrics\":{\"every\":0}}", 400, "metrics.every"),
                Arguments.of("rnn on a 2-D dataset", "{\"model\":{\"type\":\"rnn\"},\"dataset\":{\"name\":\"spirals\"}}",
                        400, "dataset.name"),
                Arguments.of("rnn too deep", "{\"model\":{\"type\":\"rnn\",\"depth\":9}}", 400, "model.depth"),
                Arguments.of("forget-gate bias on a simple cell", "{\"model\":{\"type\":\"rnn\",\"forgetGateBias\":5}}",
                        400, "model.forgetGateBias"),
                Arguments.of("sequence too long", "{\"model\":{\"type\":\"rnn\"},\"dataset\":{\"sequenceLength\":100000}}",
                        400, "dataset.sequenceLength"),
                Arguments.of("malformed JSON", "{\"model\":", 400, "malformed JSON"),
                Arguments.of("not JSON at all", "hello", 400, "malformed JSON"),
                Arguments.of("empty body", "", 400, "missing"),
                Arguments.of("long name", "{\"name\":\"" + "x".repeat(300) + "\"}", 400, "name"),
                Arguments.of("NUL in name", "{\"name\":\"a\\u0000b\"}", 400, "NUL"));
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
                Arguments.of("maxPoints over the cap", UNKNOWN + "/curves/gradients?maxPoints=100000000", 400, "maxPoints"),
                Arguments.of("to before from", UNKNOWN + "/curves/loss?from=10&to=5", 400, "to"),
                Arguments.of("unknown stat", UNKNOWN + "/curves/layers?stat=foo", 400, "stat"),
                Arguments.of("non-gradient stat on gradients", UNKNOWN + "/curves/gradients?stat=updateRatio", 400, "stat"),
                Arguments.of("unknown path", "/api/v1/nothing", 404, ""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badGets")
    void badReadsAreProblems(String what, String path, int status, String mentioned) {
        assertProblem(new ApiClient(port).get(path), status, mentioned);
    }

    @Test
    void wrongContentTypeIs415() {
        assertProblem(new ApiClient(port).post(JOBS, "{}", "text/plain", null), 415, "text/plain");
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
                        () -> new java.io.ByteArrayInputStream(streamed.getBytes())));
        assertProblem(new ApiClient(port).send(chunked), 413, "larger than");
    }

    @Test
    void unknownMethodIs405AndCancellingUnknownJobIs404() {
        ApiClient api = new ApiClient(port);
        assertProblem(api.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + JOBS)).DELETE()),
                405, "DELETE");
        assertProblem(api.post(UNKNOWN + "/cancel", null, null, null), 404, "no job");
    }

    @Test
    void serviceStillServesAfterTheAbuse() {
        ApiClient api = new ApiClient(port);
        for (int i = 0; i < 20; i++) {
            api.post(JOBS, "{\"model\":");
            api.get(JOBS + "/x");
        }
        String id = api.submit("{\"model\":{\"depth\":2,\"width\":4},\"dataset\":{\"samples\":100},"
                + "\"training\":{\"epochs\":1}}");
        assertThat(api.awaitFinished(id, Duration.ofSeconds(60)).get("status").asString()).isEqualTo("SUCCEEDED");
        assertThat(api.get("/actuator/health").status()).isEqualTo(200);
    }

    private static void assertProblem(ApiClient.Reply r, int status, String mentioned) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.contentType()).as(r.body()).startsWith("application/problem+json");
        assertThat(r.json().get("status").asInt()).isEqualTo(status);
        assertThat(r.json().has("code")).as(r.body()).isTrue();
        assertThat(r.body()).contains(mentioned);
        assertThat(r.body()).doesNotContain("Exception").doesNotContain("\tat ").doesNotContain("dev.gradlab");
    }
}
