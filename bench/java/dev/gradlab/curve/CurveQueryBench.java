package dev.gradlab.curve;

import dev.gradlab.bench.BenchApp;
import dev.gradlab.bench.Stats;
import dev.gradlab.host.HostDescription;
import dev.gradlab.metric.MetricRecorder;
import dev.gradlab.metric.MetricSeries;
import dev.gradlab.metric.MetricStore;
import dev.gradlab.metric.MetricWriter;
import dev.gradlab.training.EpochMetrics;
import dev.gradlab.training.IterationMetrics;
import dev.gradlab.training.LayerInfo;
import dev.gradlab.training.LayerStatistics;
import dev.gradlab.training.TrainingPlan;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Curve query latency for a job with a million recorded points per curve (target: median < 100 ms at maxPoints
 * 1000). The job is created through the API (POST a spec, cancel it, wait until it has stopped, drop whatever
 * metrics it recorded), then given synthetic metrics through MetricRecorder: {@code iterations} loss points and,
 * every {@code every}-th iteration, the statistics of 21 layers (20 hidden: 5 statistics each, no clipping; the
 * output layer: 3), so with the defaults the weightGradientNorm curve has 21 × 47,620 ≈ 1,000,000 points too,
 * and an epoch every {@code iterationsPerEpoch} iterations (default 100: 10,000 epochs, the most a spec allows; the
 * loss response carries every epoch).
 *
 * <p>Measures CurveQueries.loss and CurveQueries.layers in process, then the same over HTTP on localhost
 * (GET …/curves/loss and …/curves/gradients, each on its own, then alternating as a page showing both would
 * ask, which makes the two series compete for H2's page cache), then a breakdown of the loss query: SQL scan alone, scan + blob
 * decode, downsampling, JSON.
 *
 * <p>{@code JVM_OPTS=-Xmx1g bench/run CurveQueryBench [requests=50] [iterations=1000000] [every=21] [maxPoints=1000]
 *     [iterationsPerEpoch=100]}
 */
public final class CurveQueryBench {

    private static final int LAYERS = 21;

    public static void main(String[] args) throws Exception {
        System.out.println(HostDescription.current().line());
        int requests = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        long iterations = args.length > 1 ? Long.parseLong(args[1]) : 1_000_000;
        int every = args.length > 2 ? Integer.parseInt(args[2]) : 21;
        int maxPoints = args.length > 3 ? Integer.parseInt(args[3]) : 1000;
        int iterationsPerEpoch = args.length > 4 ? Integer.parseInt(args[4]) : 100;

        try (BenchApp app = BenchApp.start()) {
            JsonMapper json = app.bean(JsonMapper.class);
            HttpClient http = HttpClient.newBuilder()
                    .connectTimeout(Duration.ofSeconds(5))
                    .build();
            String base = "http://127.0.0.1:" + app.port() + "/api/v1/jobs";
            UUID job = createStoppedJob(http, json, base);
            app.bean(MetricStore.class).deleteJob(job);

            long start = System.nanoTime();
            long points = record(app.bean(MetricWriter.class), job, iterations, every, iterationsPerEpoch);
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf(
                    "job %s: stored %,d points (%,d loss, %,d weightGradientNorm; %d layers, every %d) in "
                            + "%.1f s = %,.0f points/s; %,d epochs; database %d MB%n",
                    job,
                    points,
                    iterations,
                    LAYERS * ((iterations - 1) / every + 1),
                    LAYERS,
                    every,
                    seconds,
                    points / seconds,
                    iterations / iterationsPerEpoch,
                    app.databaseBytes() >> 20);

            CurveQueries curves = app.bean(CurveQueries.class);
            CurveStore store = app.bean(CurveStore.class);
            long all = Long.MAX_VALUE;
            System.out.printf("%d requests each, maxPoints %d; ms%n", requests, maxPoints);
            report("CurveQueries.loss                 ", requests, () -> curves.loss(job, 0, all, maxPoints));
            report(
                    "CurveQueries.layers(weightGradNorm)",
                    requests,
                    () -> curves.gradients(job, "weightGradientNorm", 0, all, maxPoints));
            report(
                    "HTTP GET /curves/loss             ",
                    requests,
                    () -> get(http, base + "/" + job + "/curves/loss?maxPoints=" + maxPoints));
            report(
                    "HTTP GET /curves/gradients        ",
                    requests,
                    () -> get(http, base + "/" + job + "/curves/gradients?maxPoints=" + maxPoints));
            boolean[] lossNext = {true};
            report("HTTP loss, gradients alternating  ", requests, () -> {
                String curve = lossNext[0] ? "loss" : "gradients";
                lossNext[0] = !lossNext[0];
                return get(http, base + "/" + job + "/curves/" + curve + "?maxPoints=" + maxPoints);
            });

            System.out.println("where the loss query's time goes:");
            report("  SQL scan, blobs fetched, no decode", requests, () -> scanOnly(app, job, "loss"));
            report("  CurveStore.read (scan + decode)  ", requests, () -> store.read(job, MetricSeries.LOSS, 0, all));
            report("  proposal: presized bulk decode   ", requests, () -> bulkRead(app, job, "loss"));
            SeriesBuilder.Series loss =
                    store.read(job, MetricSeries.LOSS, 0, all).get(MetricSeries.NO_LAYER);
            if (!java.util.Arrays.equals(
                    loss.values(), bulkRead(app, job, "loss").values())) {
                throw new IllegalStateException("bulk decode differs");
            }
            report("  Downsampler.select               ", requests, () -> Downsampler.select(loss.values(), maxPoints));
            report("  epochs query                     ", requests, () -> store.epochs(job));
            LossHistory lossCurve = curves.loss(job, 0, all, maxPoints);
            // The domain record; the HTTP body (web) adds the nonFinite list, empty here.
            report("  JSON of the LossHistory          ", requests, () -> json.writeValueAsBytes(lossCurve));
            System.out.println("where the gradients query's time goes:");
            report(
                    "  SQL scan, blobs fetched, no decode",
                    requests,
                    () -> scanOnly(app, job, MetricSeries.WEIGHT_GRADIENT_NORM.key()));
            report(
                    "  CurveStore.read (scan + decode)  ",
                    requests,
                    () -> store.read(job, MetricSeries.WEIGHT_GRADIENT_NORM, 0, all));
            LayerHistory gradients = curves.gradients(job, "weightGradientNorm", 0, all, maxPoints);
            report("  JSON of the LayerHistory         ", requests, () -> json.writeValueAsBytes(gradients));
            System.out.printf(
                    "response sizes: loss %,d bytes, gradients %,d bytes%n",
                    json.writeValueAsBytes(lossCurve).length, json.writeValueAsBytes(gradients).length);
        }
    }

    /** Times {@code requests} calls after 5 unmeasured ones; prints median, p95, p99 (nearest rank) and max. */
    private static void report(String what, int requests, Supplier<Object> call) {
        for (int i = 0; i < 5; i++) {
            call.get();
        }
        double[] ms = new double[requests];
        for (int i = 0; i < requests; i++) {
            long start = System.nanoTime();
            call.get();
            ms[i] = (System.nanoTime() - start) / 1e6;
        }
        System.out.printf(
                "%s: median %7.1f  p95 %7.1f  p99 %7.1f  min %7.1f%n",
                what, Stats.median(ms), Stats.percentile(ms, 95), Stats.percentile(ms, 99), Stats.min(ms));
    }

    /** The query CurveStore.read runs, with each blob fetched but not decoded. */
    private static Object scanOnly(BenchApp app, UUID job, String series) {
        long[] bytes = new long[1];
        app.jdbc()
                .query(
                        "select layer_index, points from metric_chunk where job_id = ? and series = ? "
                                + "and last_iteration >= ? and first_iteration <= ? order by layer_index, chunk_index",
                        rs -> {
                            bytes[0] += rs.getBytes(2).length;
                        },
                        job,
                        series,
                        0L,
                        Long.MAX_VALUE);
        return bytes[0];
    }

    /**
     * What CurveStore.read could do instead (a proposal, measured here only): size the arrays from the rows'
     * point counts up front and copy each chunk wholly inside the range with bulk buffer reads, rather than
     * growing a builder by doubling and reading point by point. Whole range only (from 0 to the end).
     */
    private static SeriesBuilder.Series bulkRead(BenchApp app, UUID job, String series) {
        long total = app.jdbc()
                .queryForObject(
                        "select coalesce(sum(point_count), 0) from metric_chunk " + "where job_id = ? and series = ?",
                        Long.class,
                        job,
                        series);
        long[] iterations = new long[(int) total];
        double[] values = new double[(int) total];
        int[] size = new int[1];
        app.jdbc()
                .query(
                        "select points from metric_chunk where job_id = ? and series = ? "
                                + "order by layer_index, chunk_index",
                        rs -> {
                            java.nio.ByteBuffer block = java.nio.ByteBuffer.wrap(rs.getBytes(1));
                            int count = block.capacity() / 16;
                            block.asLongBuffer().get(iterations, size[0], count);
                            block.position(count * 8);
                            block.asDoubleBuffer().get(values, size[0], count);
                            size[0] += count;
                        },
                        job,
                        series);
        return new SeriesBuilder.Series(iterations, values);
    }

    private static String get(HttpClient http, String url) {
        HttpResponse<String> r =
                send(http, HttpRequest.newBuilder(URI.create(url)).GET());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(url + " answered " + r.statusCode() + ": " + r.body());
        }
        return r.body();
    }

    private static HttpResponse<String> send(HttpClient http, HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A job row made by the API and no longer training, so nothing but this bench writes its metrics. */
    private static UUID createStoppedJob(HttpClient http, JsonMapper json, String base) throws InterruptedException {
        String spec = """
                {"name": "curve-query-bench", "model": {"depth": 20, "width": 64},
                 "dataset": {"name": "spirals", "samples": 2000},
                 "training": {"optimizer": "sgd", "learningRate": 0.1, "batchSize": 128, "epochs": 100}}""";
        HttpResponse<String> created = send(
                http,
                HttpRequest.newBuilder(URI.create(base))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(spec)));
        if (created.statusCode() != 202) {
            throw new IllegalStateException("submit answered " + created.statusCode() + ": " + created.body());
        }
        String id = json.readTree(created.body()).get("id").asString();
        send(
                http,
                HttpRequest.newBuilder(URI.create(base + "/" + id + "/cancel"))
                        .POST(HttpRequest.BodyPublishers.noBody()));
        for (int i = 0; i < 600; i++) {
            JsonNode job = json.readTree(get(http, base + "/" + id));
            if (Set.of("CANCELLED", "SUCCEEDED", "FAILED", "DIVERGED")
                    .contains(job.get("status").asString())) {
                return UUID.fromString(id);
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("job " + id + " did not stop");
    }

    /**
     * Synthetic metrics of a 21-layer net through MetricRecorder, as training would hand them over (DashboardLoadBench
     * fills its job with them too). @return points written
     */
    public static long record(MetricWriter writer, UUID job, long iterations, int every, int iterationsPerEpoch) {
        List<LayerInfo> layers = new ArrayList<>();
        for (int l = 0; l < LAYERS; l++) {
            layers.add(new LayerInfo(l, l < LAYERS - 1 ? "dense_" + l : "output", l < LAYERS - 1 ? "dense" : "output"));
        }
        long points = 0;
        try (MetricRecorder recorder = writer.open(job, (it, ep, bytes) -> true)) {
            recorder.onStart(new TrainingPlan(layers, iterations, iterationsPerEpoch, 100_000));
            for (long i = 1; i <= iterations; i++) {
                boolean statistics = (i - 1) % every == 0;
                List<LayerStatistics> stats = statistics ? statistics(i) : List.of();
                double loss = 0.7 / Math.sqrt(i) + 0.05 * Math.sin(i * 0.37);
                int epoch = (int) ((i - 1) / iterationsPerEpoch + 1);
                recorder.onIteration(new IterationMetrics(i, epoch, loss, stats));
                points += 1 + (statistics ? 5L * (LAYERS - 1) + 3 : 0);
                if (i % iterationsPerEpoch == 0) {
                    recorder.onEpoch(new EpochMetrics(epoch, i, 0.9, 0.85, i / 10));
                }
            }
        }
        return points;
    }

    private static List<LayerStatistics> statistics(long iteration) {
        List<LayerStatistics> out = new ArrayList<>(LAYERS);
        double decay = Math.exp(-iteration * 1e-6);
        for (int l = 0; l < LAYERS; l++) {
            double g = decay * Math.pow(0.8, LAYERS - l) * (1 + 0.2 * Math.sin(iteration * 0.01 + l));
            boolean output = l == LAYERS - 1;
            out.add(new LayerStatistics(
                    l, g, g / 4, null, null, g * 1e-2, output ? null : 0.5, output ? null : 0.2, null, null));
        }
        return out;
    }
}
