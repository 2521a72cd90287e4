package dev.gradlab.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;

/**
 * Studies over the real HTTP API: create (one job per variant × repeat), validation with field paths, the job cap,
 * the queue cap refusing a whole study, the table after the jobs finish, list, cancel, the jobs filter, presets.
 * The queue holds 50 jobs here, so a 51-job study overflows it however many other jobs wait.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "gradlab.jobs.queue-capacity=50")
@ActiveProfiles("test")
class StudyApiIntegrationTest {

    /** A tiny base: trains in a second or two. */
    static final String TINY_BASE = """
            {"model": {"depth": 3, "width": 8},
             "dataset": {"name": "gaussians", "samples": 200},
             "training": {"optimizer": "adam", "learningRate": 0.01, "batchSize": 32, "epochs": 2}}""";

    /** Long enough to still be running when a test cancels it. */
    static final String LONG_BASE = """
            {"model": {"depth": 20, "width": 64},
             "dataset": {"samples": 20000},
             "training": {"batchSize": 32, "epochs": 20}}""";

    @LocalServerPort
    int port;

    ApiClient api() {
        return new ApiClient(port);
    }

    private static String study(String base, String vary, int repeats, String more) {
        return """
                {"name": "study test", "base": %s, "vary": %s, "repeats": %d%s}""".formatted(base, vary, repeats, more);
    }

    private ApiClient.Reply create(String body) {
        return api().post("/api/v1/studies", body);
    }

    private String created(String body) {
        ApiClient.Reply r = create(body);
        assertThat(r.status()).as(r.body()).isEqualTo(202);
        return r.json().get("id").asString();
    }

    private void cancelQuietly(String id) {
        ApiClient.Reply r = api().post("/api/v1/studies/" + id + "/cancel", null, null, null);
        assertThat(r.status()).isIn(200, 409);
    }

    private long total(String path) {
        return api().get(path).json().get("total").asLong();
    }

    @Test
    void createAnswers202WithLocationAndOneJobPerVariantAndRepeat() {
        ApiClient.Reply r = create(study(TINY_BASE, """
                {"model.batchNorm": [false, true], "model.residual": [false, true]}""", 2, ""));
        assertThat(r.status()).isEqualTo(202);
        JsonNode study = r.json();
        String id = study.get("id").asString();
        assertThat(r.header("Location")).endsWith("/api/v1/studies/" + id);
        assertThat(study.get("variantCount").asInt()).isEqualTo(4);
        assertThat(study.get("jobCount").asInt()).isEqualTo(8);
        assertThat(study.get("jobs").get("total").asLong()).isEqualTo(8);
        assertThat(study.get("status").asString()).isIn("QUEUED", "RUNNING");
        assertThat(study.get("vary").toString())
                .isEqualTo("{\"model.batchNorm\":[false,true],\"model.residual\":[false,true]}");
        assertThat(study.get("base").get("model").get("depth").asInt()).isEqualTo(3);
        JsonNode variants = study.get("variants");
        assertThat(variants.size()).isEqualTo(4);
        assertThat(variants.get(1).get("values").toString())
                .isEqualTo("{\"model.batchNorm\":false,\"model.residual\":true}");
        Set<String> jobIds = new HashSet<>();
        for (JsonNode v : variants) {
            assertThat(v.get("jobs").size()).isEqualTo(2);
            assertThat(v.get("jobs").get(1).get("repeat").asInt()).isEqualTo(1);
            v.get("jobs").forEach(j -> jobIds.add(j.get("id").asString()));
        }
        assertThat(jobIds).hasSize(8);

        // The study's jobs in the job list, each carrying its study, variant, repeat and seeds.
        JsonNode page = api().get("/api/v1/jobs?studyId=" + id + "&size=100").json();
        assertThat(page.get("total").asLong()).isEqualTo(8);
        Set<String> cells = new HashSet<>();
        for (JsonNode job : page.get("items")) {
            assertThat(jobIds).contains(job.get("id").asString());
            JsonNode member = job.get("study");
            assertThat(member.get("id").asString()).isEqualTo(id);
            int variant = member.get("variant").asInt();
            int repeat = member.get("repeat").asInt();
            cells.add(variant + "/" + repeat);
            assertThat(member.get("values")).isEqualTo(variants.get(variant).get("values"));
            JsonNode spec = job.get("spec");
            assertThat(spec.get("model").get("batchNorm").asBoolean())
                    .isEqualTo(member.get("values").get("model.batchNorm").asBoolean());
            assertThat(spec.get("training").get("seed").asLong()).isEqualTo(42 + repeat);
            assertThat(spec.get("dataset").get("seed").asLong()).isEqualTo(1 + repeat);
            assertThat(job.get("name").asString()).startsWith("study test · v" + variant + " r" + repeat);
        }
        assertThat(cells).hasSize(8);
        assertThat(api().get("/api/v1/jobs?studyId=" + id + "&status=CANCELLED")
                        .json()
                        .get("total")
                        .asLong())
                .isZero();
        JsonNode single = api().get("/api/v1/jobs/" + jobIds.iterator().next()).json();
        assertThat(single.get("study").get("id").asString()).isEqualTo(id);
        cancelQuietly(id);
    }

    /** The table, checked against the jobs' own results and curves. */
    @Test
    void theTableAggregatesTheRepeatsOnceTheJobsFinish() {
        String id = created(study(TINY_BASE, """
                {"model.batchNorm": [false, true]}""", 2, ", \"targetLoss\": 0.65"));
        JsonNode study = api().awaitStudy(id, Duration.ofSeconds(180));
        assertThat(study.get("status").asString()).isEqualTo("FINISHED");
        assertThat(study.get("jobs").get("SUCCEEDED").asLong()).isEqualTo(4);
        assertThat(study.get("jobs").get("QUEUED").asLong()).isZero();
        assertThat(study.get("targetLoss").asDouble()).isEqualTo(0.65);
        for (JsonNode row : study.get("variants")) {
            assertThat(row.get("completed").asInt()).isEqualTo(2);
            assertThat(row.get("diverged").asInt()).isZero();
            assertThat(row.get("gradientRatioMeasure").asString()).isEqualTo("firstToLastDenseLayer");
            Map<String, List<Double>> values = new HashMap<>();
            for (JsonNode ref : row.get("jobs")) {
                String job = ref.get("id").asString();
                assertThat(ref.get("status").asString()).isEqualTo("SUCCEEDED");
                JsonNode result = api().get("/api/v1/jobs/" + job).json().get("result");
                JsonNode loss = api().get("/api/v1/jobs/" + job + "/curves/loss?maxPoints=20000")
                        .json();
                add(
                        values,
                        "gradientRatioStart",
                        result.get("gradientRatio").get("start").asDouble());
                add(
                        values,
                        "gradientRatioEnd",
                        result.get("gradientRatio").get("end").asDouble());
                add(values, "finalTrainAccuracy", result.get("trainAccuracy").asDouble());
                add(values, "finalTestAccuracy", result.get("testAccuracy").asDouble());
                add(values, "wallTimeMillis", result.get("wallTimeMillis").asDouble());
                double best = 0;
                for (JsonNode e : loss.get("epochs").get("testAccuracy")) {
                    best = Math.max(best, e.asDouble());
                }
                add(values, "bestTestAccuracy", best);
                for (int i = 0; i < loss.get("values").size(); i++) {
                    if (loss.get("values").get(i).asDouble() <= 0.65) {
                        add(
                                values,
                                "iterationsToTargetLoss",
                                loss.get("iterations").get(i).asDouble());
                        break;
                    }
                }
            }
            for (String stat : List.of(
                    "gradientRatioStart",
                    "gradientRatioEnd",
                    "finalTrainAccuracy",
                    "finalTestAccuracy",
                    "bestTestAccuracy",
                    "iterationsToTargetLoss",
                    "wallTimeMillis")) {
                JsonNode s = row.get(stat);
                List<Double> expected = values.getOrDefault(stat, List.of());
                assertThat(s.get("n").asInt()).as(stat).isEqualTo(expected.size());
                assertThat(s.get("missing").asInt()).as(stat).isEqualTo(2 - expected.size());
                if (expected.isEmpty()) {
                    assertThat(s.has("median")).isFalse();
                    continue;
                }
                double min =
                        expected.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
                double max =
                        expected.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
                double median = expected.size() == 2 ? (min + max) / 2 : min;
                assertThat(s.get("min").asDouble()).as(stat).isCloseTo(min, within(Math.abs(min) * 1e-9));
                assertThat(s.get("max").asDouble()).as(stat).isCloseTo(max, within(Math.abs(max) * 1e-9));
                assertThat(s.get("median").asDouble()).as(stat).isCloseTo(median, within(Math.abs(median) * 1e-9));
            }
        }
        assertThat(study.get("variants")
                                .get(0)
                                .get("iterationsToTargetLoss")
                                .get("n")
                                .asInt()
                        + study.get("variants")
                                .get(1)
                                .get("iterationsToTargetLoss")
                                .get("n")
                                .asInt())
                .as("the tiny nets reach a loss of 0.65 in some repeat (else this test checks nothing)")
                .isPositive();
    }

    private static void add(Map<String, List<Double>> values, String stat, double v) {
        values.computeIfAbsent(stat, k -> new ArrayList<>()).add(v);
    }

    @Test
    void aRefusedStudyNamesEachFieldAndCreatesNothing() {
        long studies = total("/api/v1/studies");
        long jobs = total("/api/v1/jobs");

        ApiClient.Reply bad = create(study(TINY_BASE, """
                {"model.depth": [2, 500], "model.dept": [1], "model.activation": ["tanh", "swish"]}""", 1, ""));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("code").asString()).isEqualTo("invalid-study");
        assertThat(fields(bad)).containsExactlyInAnyOrder("vary.model.dept");

        ApiClient.Reply values = create(study(TINY_BASE, """
                {"model.depth": [2, 500], "model.activation": ["tanh", "swish"]}""", 1, ""));
        assertThat(fields(values)).containsExactlyInAnyOrder("vary.model.activation[1]");
        ApiClient.Reply range = create(study(TINY_BASE, """
                {"model.depth": [2, 500]}""", 1, ""));
        assertThat(fields(range)).containsExactly("vary.model.depth[1]");
        assertThat(range.json().get("errors").get(0).get("message").asString())
                .contains("less than or equal to 200 (was 500)");

        ApiClient.Reply base = create(study("""
                {"dataset": {"name": "spirals"}}""", """
                {"model.type": ["mlp", "rnn"]}""", 1, ""));
        assertThat(fields(base)).containsExactly("base.dataset.name");

        ApiClient.Reply tooMany = create(study(TINY_BASE, """
                {"model.depth": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]}""", 5, ""));
        assertThat(tooMany.status()).isEqualTo(400);
        assertThat(fields(tooMany)).containsExactly("repeats");
        assertThat(tooMany.json().get("errors").get(0).get("message").asString())
                .isEqualTo("13 = 13 variants × 5 repeats = 65 jobs, over the limit gradlab.studies.max-jobs = 64");

        ApiClient.Reply unknown = create("""
                {"base": {}, "vary": {}, "repetitions": 2}""");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.json().get("code").asString()).isEqualTo("malformed-body");
        assertThat(fields(unknown)).containsExactly("repetitions");
        ApiClient.Reply notAList = create("""
                {"vary": {"model.depth": 5}}""");
        assertThat(notAList.status()).isEqualTo(400);
        assertThat(fields(notAList)).containsExactly("vary.model.depth");

        assertThat(total("/api/v1/studies")).isEqualTo(studies);
        assertThat(total("/api/v1/jobs")).isEqualTo(jobs);
    }

    private static List<String> fields(ApiClient.Reply r) {
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        List<String> out = new ArrayList<>();
        r.json().get("errors").forEach(e -> out.add(e.get("field").asString()));
        return out;
    }

    /** More jobs than the queue holds: 429 with Retry-After, and neither the study nor any of its jobs exists. */
    @Test
    void aStudyThatWouldOverflowTheQueueIsRefusedWhole() {
        long studies = total("/api/v1/studies");
        long jobs = total("/api/v1/jobs");
        String depths = IntStream.rangeClosed(1, 51).mapToObj(Integer::toString).collect(Collectors.joining(", "));
        ApiClient.Reply r = create(study(TINY_BASE, "{\"model.depth\": [" + depths + "]}", 1, ""));
        assertThat(r.status()).isEqualTo(429);
        assertThat(r.json().get("code").asString()).isEqualTo("queue-full");
        assertThat(r.json().get("detail").asString()).contains("this study adds 51");
        assertThat(Integer.parseInt(r.header("Retry-After"))).isPositive();
        assertThat(total("/api/v1/studies")).isEqualTo(studies);
        assertThat(total("/api/v1/jobs")).isEqualTo(jobs);
    }

    @Test
    void cancellingAStudyCancelsEveryJob() {
        String id = created(study(LONG_BASE, """
                {"model.batchNorm": [false, true]}""", 2, ""));
        api().awaitJob(
                        api().get("/api/v1/studies/" + id)
                                .json()
                                .get("variants")
                                .get(0)
                                .get("jobs")
                                .get(0)
                                .get("id")
                                .asString(),
                        j -> j.get("status").asString().equals("RUNNING"),
                        Duration.ofSeconds(120));
        ApiClient.Reply cancelled = api().post("/api/v1/studies/" + id + "/cancel", null, null, null);
        assertThat(cancelled.status()).isEqualTo(200);
        assertThat(cancelled.json().get("status").asString()).isEqualTo("CANCELLED");
        assertThat(cancelled.json().has("cancelledAt")).isTrue();
        for (JsonNode job : api().get("/api/v1/jobs?studyId=" + id).json().get("items")) {
            assertThat(api().awaitFinished(job.get("id").asString(), Duration.ofSeconds(60))
                            .get("status")
                            .asString())
                    .isEqualTo("CANCELLED");
        }
        JsonNode study = api().get("/api/v1/studies/" + id).json();
        assertThat(study.get("jobs").get("CANCELLED").asLong()).isEqualTo(4);
        assertThat(study.get("variants").get(0).get("completed").asInt()).isZero();
        ApiClient.Reply again = api().post("/api/v1/studies/" + id + "/cancel", null, null, null);
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json().get("code").asString()).isEqualTo("wrong-state");
    }

    @Test
    void studiesArePagedNewestFirst() {
        String first = created(study(TINY_BASE, "{}", 1, ""));
        String second = created(study(TINY_BASE, "{\"model.width\": [4, 6]}", 1, ""));
        cancelQuietly(first);
        cancelQuietly(second);
        JsonNode page = api().get("/api/v1/studies?size=1").json();
        assertThat(page.get("size").asInt()).isEqualTo(1);
        assertThat(page.get("total").asLong()).isGreaterThanOrEqualTo(2);
        assertThat(page.get("items").get(0).get("id").asString()).isEqualTo(second);
        JsonNode all = api().get("/api/v1/studies?size=100").json();
        List<String> ids = new ArrayList<>();
        List<String> created = new ArrayList<>();
        all.get("items").forEach(s -> {
            ids.add(s.get("id").asString());
            created.add(s.get("createdAt").asString());
        });
        assertThat(ids.indexOf(second)).isLessThan(ids.indexOf(first));
        assertThat(created).isSortedAccordingTo(java.util.Comparator.reverseOrder());
        JsonNode summary = all.get("items").get(ids.indexOf(second));
        assertThat(summary.get("jobCount").asInt()).isEqualTo(2);
        assertThat(summary.get("jobs").get("total").asLong()).isEqualTo(2);
        assertThat(summary.has("variants")).as("the list leaves the table out").isFalse();
        assertThat(api().get("/api/v1/studies?size=101").status()).isEqualTo(400);
    }

    @Test
    void anUnknownStudyIs404AndABadId400() {
        ApiClient.Reply missing = api().get("/api/v1/studies/00000000-0000-0000-0000-000000000000");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().get("code").asString()).isEqualTo("study-not-found");
        assertThat(api().post("/api/v1/studies/00000000-0000-0000-0000-000000000000/cancel", null, null, null)
                        .status())
                .isEqualTo(404);
        assertThat(api().get("/api/v1/studies/not-a-uuid").status()).isEqualTo(400);
    }

    /** Each preset is one POST away: its request is accepted as it is (then cancelled, to keep the queue short). */
    @Test
    void everyPresetIsAReadyStudy() {
        JsonNode presets = api().get("/api/v1/presets").json();
        List<String> names = new ArrayList<>();
        for (JsonNode preset : presets) {
            names.add(preset.get("name").asString());
            assertThat(preset.get("description").asString()).isNotBlank();
            ApiClient.Reply r = create(preset.get("request").toString());
            assertThat(r.status())
                    .as(preset.get("name").asString() + ": " + r.body())
                    .isEqualTo(202);
            assertThat(r.json().get("jobCount").asInt()).isBetween(2, 24);
            cancelQuietly(r.json().get("id").asString());
        }
        assertThat(names)
                .containsExactly(
                        "depth-vs-cures",
                        "recurrent-scale",
                        "clipping",
                        "simple-vs-lstm",
                        "nielsen-mnist",
                        "nielsen-digits",
                        "depth-vs-cures-digits");
    }
}
