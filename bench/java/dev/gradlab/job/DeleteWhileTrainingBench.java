package dev.gradlab.job;

import dev.gradlab.bench.BenchApp;
import dev.gradlab.host.HostDescription;
import dev.gradlab.metric.MetricRecorder;
import dev.gradlab.metric.MetricStore;
import dev.gradlab.metric.MetricWriter;
import dev.gradlab.training.IterationMetrics;
import dev.gradlab.training.LayerInfo;
import dev.gradlab.training.LayerStatistics;
import dev.gradlab.training.TrainingPlan;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import tools.jackson.databind.json.JsonMapper;

/**
 * Deleting a large stored job while another one trains (embedded H2 file database, as by default). Two finished
 * jobs of the same size are stored first (synthetic points: 21 layers × 7 statistics + the loss per iteration, as
 * MetricIngestBench writes them). While a 20-layer net trains on the queue, the first is deleted through
 * {@code DELETE /api/v1/jobs/{id}} (the row at once, the points by job-purger in 500-row transactions), and then,
 * for comparison, the second in one transaction ({@code MetricStore.deleteJob}, as a first attempt's leftovers are
 * cleared). Reported: the DELETE's answer time, how long the points took to go, and the training job's iteration
 * rate during each delete against before it, with the longest gap between its stored progress updates (each
 * update is a metric write: a gap is the writer waiting). Progress is written every 250 ms here
 * ({@code gradlab.metrics.flush-interval-ms}), so gaps show at that resolution. Also the database file per payload
 * byte (what storedBytes leaves out).
 *
 * <p>{@code bench/run DeleteWhileTrainingBench [iterationsPerStoredJob=30000]}
 */
public final class DeleteWhileTrainingBench {

    static final String TRAINING = """
            {"name": "trains-meanwhile", "model": {"depth": 20, "width": 64}, "dataset": {"samples": 20000},
             "training": {"batchSize": 32, "epochs": 50}}""";

    private static final int LAYERS = 21;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private record Sample(long nanos, long iteration) {}

    public static void main(String[] args) throws Exception {
        System.out.println(HostDescription.current().line());
        int iterations = args.length > 0 ? Integer.parseInt(args[0]) : 30_000;
        try (BenchApp app = BenchApp.start("--gradlab.metrics.flush-interval-ms=250")) {
            HttpClient http = HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + app.port() + "/api/v1/jobs";

            app.checkpointSync();
            long emptyFile = app.databaseBytes();
            UUID viaApi = store(app, iterations);
            UUID oneTransaction = store(app, iterations);
            app.checkpointSync();
            long fullFile = app.databaseBytes();
            long points = app.jdbc()
                    .queryForObject("select sum(point_count) from metric_chunk where job_id = ?", Long.class, viaApi);
            long chunks =
                    app.jdbc().queryForObject("select count(*) from metric_chunk where job_id = ?", Long.class, viaApi);
            long payload = app.jdbc().queryForObject("select stored_bytes from job where id = ?", Long.class, viaApi);
            System.out.printf(
                    "stored: 2 jobs x %,d iterations x %d layers = %,d points, %,d chunk rows, storedBytes %,d each;"
                            + " H2 file %,d -> %,d bytes: %.2f file bytes per payload byte%n",
                    iterations,
                    LAYERS,
                    points,
                    chunks,
                    payload,
                    emptyFile,
                    fullFile,
                    (double) (fullFile - emptyFile) / (2.0 * payload));

            String training = JSON.readTree(send(
                                    http,
                                    HttpRequest.newBuilder(URI.create(base))
                                            .header("Content-Type", "application/json")
                                            .POST(HttpRequest.BodyPublishers.ofString(TRAINING)))
                            .body())
                    .get("id")
                    .asString();
            UUID trainingId = UUID.fromString(training);
            List<Sample> samples = new CopyOnWriteArrayList<>();
            AtomicBoolean sampling = new AtomicBoolean(true);
            Thread sampler = new Thread(() -> sample(app, trainingId, samples, sampling), "progress-sampler");
            sampler.start();
            while (samples.isEmpty()) {
                Thread.sleep(100);
            }
            Thread.sleep(10_000); // JIT and the training job settle
            long beforeStart = System.nanoTime();
            Thread.sleep(20_000);
            long beforeEnd = System.nanoTime();

            long deleteStart = System.nanoTime();
            HttpResponse<String> deleted = send(
                    http,
                    HttpRequest.newBuilder(URI.create(base + "/" + viaApi)).DELETE());
            long answered = System.nanoTime();
            while (app.jdbc().queryForObject("select count(*) from job_purge", Long.class) > 0) {
                Thread.sleep(20);
            }
            long purged = System.nanoTime();
            long left =
                    app.jdbc().queryForObject("select count(*) from metric_chunk where job_id = ?", Long.class, viaApi);
            Thread.sleep(10_000);
            app.checkpointSync();
            long afterBatched = app.databaseBytes();

            long oneStart = System.nanoTime();
            app.bean(MetricStore.class).deleteJob(oneTransaction);
            long oneEnd = System.nanoTime();
            Thread.sleep(10_000);
            long afterEnd = System.nanoTime();
            app.checkpointSync();
            long afterOne = app.databaseBytes();
            sampling.set(false);
            sampler.join();
            send(
                    http,
                    HttpRequest.newBuilder(URI.create(base + "/" + training + "/cancel"))
                            .POST(HttpRequest.BodyPublishers.noBody()));
            app.checkpointSync();

            double before = rate(samples, beforeStart, beforeEnd);
            double during = rate(samples, deleteStart, purged);
            double duringOne = rate(samples, oneStart, oneEnd);
            double after = rate(samples, oneEnd, afterEnd);
            System.out.printf(
                    "DELETE /api/v1/jobs/{id}: %d in %.0f ms; points removed %.2f s after the answer (%,.0f points/s,"
                            + " %d chunk rows left)%n",
                    deleted.statusCode(),
                    (answered - deleteStart) / 1e6,
                    (purged - answered) / 1e9,
                    points / ((purged - answered) / 1e9),
                    left);
            System.out.printf("one-transaction delete of the same: %.2f s%n", (oneEnd - oneStart) / 1e9);
            System.out.printf(
                    "training job: %.1f it/s before (20 s), %.1f during the batched purge (ratio %.2f),"
                            + " %.1f during the one-transaction delete (ratio %.2f), %.1f after%n",
                    before, during, during / before, duringOne, duringOne / before, after);
            System.out.printf(
                    "longest gap between its progress updates: %.0f ms before, %.0f ms during the batched purge,"
                            + " %.0f ms during the one-transaction delete%n",
                    maxGap(samples, beforeStart, beforeEnd) / 1e6,
                    maxGap(samples, deleteStart, purged) / 1e6,
                    maxGap(samples, oneStart, oneEnd) / 1e6);
            System.out.printf(
                    "H2 file: %,d bytes with both jobs, %,d 10 s after the batched purge, %,d 10 s after the"
                            + " one-transaction delete (H2 reuses freed space; it does not give it back)%n",
                    fullFile, afterBatched, afterOne);
        }
    }

    private static HttpResponse<String> send(HttpClient http, HttpRequest.Builder request) throws Exception {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A finished job with {@code iterations} iterations of every statistic of {@link #LAYERS} layers stored. */
    private static UUID store(BenchApp app, int iterations) {
        UUID job = UUID.randomUUID();
        app.insertRunningJob(job, iterations);
        List<LayerInfo> layers = new ArrayList<>();
        for (int l = 0; l < LAYERS; l++) {
            layers.add(new LayerInfo(l, "dense_" + l, "dense"));
        }
        long[] bytes = {0};
        MetricRecorder recorder = app.bean(MetricWriter.class).open(job, (it, ep, stored) -> {
            bytes[0] = stored;
            app.progress(job, it, ep);
            return true;
        });
        recorder.onStart(new TrainingPlan(layers, iterations, 13, 100_000));
        for (int i = 1; i <= iterations; i++) {
            recorder.onIteration(new IterationMetrics(i, (i - 1) / 13 + 1, 0.7 / Math.sqrt(i), statistics(i)));
        }
        recorder.close();
        app.jdbc()
                .update(
                        "update job set status = 'SUCCEEDED', finished_at = current_timestamp, stored_bytes = ?"
                                + " where id = ?",
                        bytes[0],
                        job);
        return job;
    }

    private static List<LayerStatistics> statistics(long iteration) {
        List<LayerStatistics> out = new ArrayList<>(LAYERS);
        double decay = Math.exp(-iteration * 1e-5);
        for (int l = 0; l < LAYERS; l++) {
            double g = decay * Math.pow(0.8, LAYERS - l) * (1 + 0.1 * Math.sin(iteration + l));
            out.add(new LayerStatistics(
                    l, g, g / 4, Math.min(g, 1), Math.min(g / 4, 1), g * 1e-2, 0.5, 0.2, null, null));
        }
        return out;
    }

    /** Records the training job's stored iteration each time it changes. */
    private static void sample(BenchApp app, UUID job, List<Sample> out, AtomicBoolean running) {
        long last = -1;
        while (running.get()) {
            Long iteration = app.jdbc().queryForObject("select iteration from job where id = ?", Long.class, job);
            if (iteration != null && iteration > 0 && iteration != last) {
                out.add(new Sample(System.nanoTime(), iteration));
                last = iteration;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Iterations per second between the first and the last update within [from, to]. */
    private static double rate(List<Sample> samples, long from, long to) {
        Sample first = null;
        Sample last = null;
        for (Sample s : samples) {
            if (s.nanos() >= from && s.nanos() <= to) {
                if (first == null) {
                    first = s;
                }
                last = s;
            }
        }
        if (first == null || last == first) {
            return Double.NaN;
        }
        return (last.iteration() - first.iteration()) / ((last.nanos() - first.nanos()) / 1e9);
    }

    /** The longest time without a progress update within [from, to], counting from the last update before it. */
    private static long maxGap(List<Sample> samples, long from, long to) {
        long gap = 0;
        long previous = from;
        for (Sample s : samples) {
            if (s.nanos() < from) {
                previous = s.nanos();
            } else if (s.nanos() <= to) {
                gap = Math.max(gap, s.nanos() - previous);
                previous = s.nanos();
            }
        }
        return Math.max(gap, to - previous);
    }
}
