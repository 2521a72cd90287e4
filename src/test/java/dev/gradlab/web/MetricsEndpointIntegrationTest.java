package dev.gradlab.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;

/**
 * /actuator/prometheus over real HTTP, around real jobs: each gradlab meter moves by what the job did (its
 * iterations, the points stored for it in the database, one submission, one outcome), the queue gauges follow the
 * queue, and the job's log lines carry its id.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@ExtendWith(OutputCaptureExtension.class)
class MetricsEndpointIntegrationTest {

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void aTrainedJobMovesEachMeterByWhatItDid(CapturedOutput output) {
        ApiClient api = new ApiClient(port);
        api.awaitIdle(Duration.ofSeconds(120)); // counters are per instance: nothing else may move them meanwhile
        Scrape before = scrape();

        String id = api.submit(JobApiIntegrationTest.TINY);
        JsonNode done = api.awaitFinished(id, Duration.ofSeconds(60));
        assertThat(done.get("status").asString()).isEqualTo("SUCCEEDED");
        assertThat(api.get("/api/v1/jobs/" + id + "/curves/loss").status()).isEqualTo(200);
        assertThat(api.get("/api/v1/jobs/" + id + "/curves/layers?stat=updateRatio")
                        .status())
                .isEqualTo(200);
        Scrape after = scrape();

        long iterations = done.get("progress").get("iteration").asLong();
        assertThat(iterations).isEqualTo(10);
        long storedPoints = jdbc.queryForObject(
                "select sum(point_count) from metric_chunk where job_id = ?",
                Long.class,
                java.util.UUID.fromString(id));
        assertThat(storedPoints).isGreaterThan(iterations); // the loss and every layer's statistics

        assertThat(after.delta(before, "gradlab_jobs_submitted_total", "source", "job"))
                .isEqualTo(1);
        assertThat(after.delta(before, "gradlab_jobs_submitted_total", "source", "study"))
                .isZero();
        assertThat(after.delta(before, "gradlab_jobs_finished_total", "status", "SUCCEEDED"))
                .isEqualTo(1);
        for (String other : List.of("FAILED", "DIVERGED", "CANCELLED")) {
            assertThat(after.delta(before, "gradlab_jobs_finished_total", "status", other))
                    .as(other)
                    .isZero();
        }
        assertThat(after.delta(before, "gradlab_training_iterations_total")).isEqualTo(iterations);
        assertThat(after.delta(before, "gradlab_metrics_points_written_total")).isEqualTo(storedPoints);
        assertThat(after.delta(before, "gradlab_curves_query_seconds_count", "curve", "loss"))
                .isEqualTo(1);
        assertThat(after.delta(before, "gradlab_curves_query_seconds_count", "curve", "layers"))
                .isEqualTo(1);
        assertThat(after.delta(before, "gradlab_curves_query_seconds_count", "curve", "gradients"))
                .isZero();
        assertThat(after.sum("gradlab_curves_query_seconds_bucket", "curve", "loss", "le", "+Inf"))
                .isEqualTo(after.sum("gradlab_curves_query_seconds_count", "curve", "loss"));
        assertThat(after.delta(
                        before,
                        "http_server_requests_seconds_count",
                        "method",
                        "POST",
                        "uri",
                        "/api/v1/jobs",
                        "status",
                        "202"))
                .isEqualTo(1);
        assertThat(after.sum("gradlab_jobs_running")).isZero();
        assertThat(after.sum("gradlab_jobs_queued")).isZero();
        assertThat(after.sum("gradlab_metrics_writer_backlog")).isZero();
        assertThat(after.sum("jvm_memory_used_bytes", "area", "heap")).isPositive();

        // The run's own lines carry its id in the pattern's "[job <id>]", from the queue thread that trains it;
        // lines of HTTP threads (the request that submitted it) do not.
        String tag = "[job " + id + "]";
        List<String> lines = output.getOut().lines().toList();
        assertThat(lines)
                .filteredOn(l -> l.contains("job " + id + " SUCCEEDED after " + iterations + " iterations"))
                .singleElement()
                .satisfies(l -> assertThat(l).contains(tag));
        assertThat(lines)
                .filteredOn(l -> l.contains(tag))
                .isNotEmpty()
                .allSatisfy(l -> assertThat(l).doesNotContain("-exec-"));
    }

    @Test
    void theQueueGaugesFollowTheQueue() {
        ApiClient api = new ApiClient(port);
        api.awaitIdle(Duration.ofSeconds(120));
        Scrape before = scrape();
        String running = api.submit(JobApiIntegrationTest.LONG);
        api.awaitJob(running, j -> j.get("status").asString().equals("RUNNING"), Duration.ofSeconds(60));
        String waiting = api.submit(JobApiIntegrationTest.TINY); // one job trains at a time in tests
        Scrape busy = awaitScrape(s -> s.sum("gradlab_jobs_queued") == 1 && s.sum("gradlab_jobs_running") == 1);
        assertThat(busy.sum("gradlab_jobs_queued")).isEqualTo(1);
        // While a job trains, nd4j's arrays live off the heap, where javacpp counts them; the process's resident
        // size includes the heap.
        assertThat(busy.sum("gradlab_native_memory_allocated_bytes")).isPositive();
        assertThat(busy.sum("gradlab_native_memory_max_bytes"))
                .isGreaterThanOrEqualTo(busy.sum("gradlab_native_memory_allocated_bytes"));
        assertThat(busy.sum("gradlab_native_memory_physical_bytes"))
                .isGreaterThan(busy.sum("jvm_memory_used_bytes", "area", "heap"));

        assertThat(api.post("/api/v1/jobs/" + waiting + "/cancel", null, null, null)
                        .status())
                .isEqualTo(200);
        assertThat(api.post("/api/v1/jobs/" + running + "/cancel", null, null, null)
                        .status())
                .isEqualTo(200);
        api.awaitFinished(running, Duration.ofSeconds(60));
        Scrape idle = awaitScrape(s -> s.sum("gradlab_jobs_queued") == 0 && s.sum("gradlab_jobs_running") == 0);
        assertThat(idle.delta(before, "gradlab_jobs_finished_total", "status", "CANCELLED"))
                .isEqualTo(2);
        assertThat(idle.delta(before, "gradlab_jobs_submitted_total", "source", "job"))
                .isEqualTo(2);
        assertThat(idle.delta(before, "gradlab_training_iterations_total")).isPositive();
    }

    /** docs/OPERATIONS.md's table names every gradlab meter the endpoint shows, so none goes undocumented. */
    @Test
    void everyGradlabMeterIsDocumented() throws java.io.IOException {
        String doc = java.nio.file.Files.readString(java.nio.file.Path.of("docs/OPERATIONS.md"));
        List<String> families = scrape().samples().stream()
                .map(Scrape.Sample::name)
                .filter(n -> n.startsWith("gradlab_"))
                .map(n -> n.replaceAll("_(bucket|count|sum|max)$", ""))
                .distinct()
                .toList();
        assertThat(families).hasSizeGreaterThanOrEqualTo(12);
        assertThat(families).allSatisfy(f -> assertThat(doc).contains("| `" + f + "` |"));
    }

    private Scrape scrape() {
        ApiClient.Reply r = new ApiClient(port).get("/actuator/prometheus");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.contentType()).startsWith("text/plain");
        return Scrape.parse(r.body());
    }

    private Scrape awaitScrape(Predicate<Scrape> ready) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        Scrape s = scrape();
        while (!ready.test(s)) {
            assertThat(System.nanoTime())
                    .as("gauges never got there; last scrape:\n" + s)
                    .isLessThan(deadline);
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            s = scrape();
        }
        return s;
    }

    /** Prometheus' text format, as samples: name, labels, value. */
    record Scrape(List<Sample> samples) {
        record Sample(String name, Map<String, String> labels, double value) {}

        private static final Pattern LINE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})? (\\S+)$");
        private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

        static Scrape parse(String text) {
            List<Sample> samples = new ArrayList<>();
            for (String line : text.lines().toList()) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                Matcher m = LINE.matcher(line);
                assertThat(m.matches()).as("a sample line: " + line).isTrue();
                Map<String, String> labels = new LinkedHashMap<>();
                if (m.group(3) != null) {
                    Matcher l = LABEL.matcher(m.group(3));
                    while (l.find()) {
                        labels.put(l.group(1), l.group(2));
                    }
                }
                samples.add(new Sample(m.group(1), labels, Double.parseDouble(m.group(4))));
            }
            return new Scrape(samples);
        }

        /** The sum of the samples of this name whose labels include these (name, value, name, value, ...). */
        double sum(String name, String... labels) {
            List<Sample> matching = samples.stream()
                    .filter(s -> s.name().equals(name))
                    .filter(s -> {
                        for (int i = 0; i < labels.length; i += 2) {
                            if (!labels[i + 1].equals(s.labels().get(labels[i]))) {
                                return false;
                            }
                        }
                        return true;
                    })
                    .toList();
            assertThat(matching)
                    .as(name + " " + List.of(labels) + " in the scrape")
                    .isNotEmpty();
            return matching.stream().mapToDouble(Sample::value).sum();
        }

        /** How much it grew since {@code before}; a counter or a series that appeared since then counts from 0. */
        double delta(Scrape before, String name, String... labels) {
            boolean existed = before.samples.stream().anyMatch(s -> s.name().equals(name));
            double was = 0;
            if (existed) {
                try {
                    was = before.sum(name, labels);
                } catch (AssertionError e) {
                    was = 0; // this label combination had not been seen yet (an HTTP status on a new path)
                }
            }
            return sum(name, labels) - was;
        }

        @Override
        public String toString() {
            StringBuilder b = new StringBuilder();
            samples.stream()
                    .filter(s -> s.name().startsWith("gradlab_jobs"))
                    .forEach(s -> b.append(s).append('\n'));
            return b.toString();
        }
    }
}
