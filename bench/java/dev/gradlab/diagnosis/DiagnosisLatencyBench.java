package dev.gradlab.diagnosis;

import dev.gradlab.bench.BenchApp;
import dev.gradlab.bench.Stats;
import dev.gradlab.host.HostDescription;
import dev.gradlab.metric.MetricRecorder;
import dev.gradlab.metric.MetricWriter;
import dev.gradlab.spec.ExperimentSpec;
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
import java.util.UUID;

/**
 * What the diagnosis costs a GET /api/v1/jobs/{id}, and that the cost does not grow with the run. Two RUNNING job
 * rows (a running job's diagnosis is never cached, so every request computes it) get synthetic metrics through
 * MetricRecorder, as a 20-layer MLP at metrics.every = 1 records them: a short job of {@code short} iterations and a
 * long one of {@code long} (default 200,000, gradlab.limits.max-total-iterations), 21 layers × every statistic
 * every iteration (the probe's every 20th), an epoch every 20 iterations (10,000 epochs, the most a spec allows).
 * Then, alternating short and long: DiagnosisService.diagnose in process, and GET /api/v1/jobs/{id} over HTTP on
 * localhost; and, for scale, GET of the long job's loss curve at maxPoints 1000.
 *
 * <p>{@code JVM_OPTS=-Xmx1g bench/run DiagnosisLatencyBench [requests=30] [long=200000] [short=200]}
 */
public final class DiagnosisLatencyBench {

    private static final int LAYERS = 21;
    private static final int PER_EPOCH = 20;

    public static void main(String[] args) throws Exception {
        System.out.println(HostDescription.current().line());
        int requests = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        long longRun = args.length > 1 ? Long.parseLong(args[1]) : 200_000;
        long shortRun = args.length > 2 ? Long.parseLong(args[2]) : 200;
        try (BenchApp app = BenchApp.start()) {
            HttpClient http = HttpClient.newBuilder()
                    .connectTimeout(Duration.ofSeconds(5))
                    .build();
            String base = "http://127.0.0.1:" + app.port() + "/api/v1/jobs/";
            UUID small = UUID.randomUUID();
            UUID large = UUID.randomUUID();
            app.insertRunningJob(small, shortRun);
            app.insertRunningJob(large, longRun);
            long t0 = System.nanoTime();
            record(app.bean(MetricWriter.class), small, shortRun);
            record(app.bean(MetricWriter.class), large, longRun);
            System.out.printf(
                    "stored %,d + %,d iterations x %d layers (every statistic every iteration) in %.0f s; database %d MB%n",
                    shortRun, longRun, LAYERS, (System.nanoTime() - t0) / 1e9, app.databaseBytes() >> 20);

            DiagnosisService service = app.bean(DiagnosisService.class);
            ExperimentSpec spec = ExperimentSpec.defaults();
            int smallEpochs = (int) (shortRun / PER_EPOCH);
            int largeEpochs = (int) (longRun / PER_EPOCH);
            app.progress(small, shortRun, smallEpochs);
            app.progress(large, longRun, largeEpochs);
            RunFacts smallFacts = new RunFacts(small, spec, false, false, smallEpochs, null);
            RunFacts largeFacts = new RunFacts(large, spec, false, false, largeEpochs, null);
            System.out.println("long job's diagnosis: "
                    + service.diagnose(largeFacts).findings().stream()
                            .map(f -> f.code() + " " + f.severity())
                            .toList());
            for (int i = 0; i < 5; i++) { // warm-up
                service.diagnose(smallFacts);
                service.diagnose(largeFacts);
                get(http, base + small);
                get(http, base + large);
            }
            double[] inSmall = new double[requests];
            double[] inLarge = new double[requests];
            double[] httpSmall = new double[requests];
            double[] httpLarge = new double[requests];
            double[] lossCurve = new double[requests];
            for (int i = 0; i < requests; i++) {
                inSmall[i] = time(() -> service.diagnose(smallFacts));
                inLarge[i] = time(() -> service.diagnose(largeFacts));
                httpSmall[i] = time(() -> get(http, base + small));
                httpLarge[i] = time(() -> get(http, base + large));
                lossCurve[i] = time(() -> get(http, base + large + "/curves/loss?maxPoints=1000"));
            }
            report("DiagnosisService.diagnose, " + shortRun + "-iteration job", inSmall);
            report("DiagnosisService.diagnose, " + longRun + "-iteration job", inLarge);
            report("GET /jobs/{id}, " + shortRun + "-iteration job (running: not cached)", httpSmall);
            report("GET /jobs/{id}, " + longRun + "-iteration job (running: not cached)", httpLarge);
            report("for scale: GET …/curves/loss?maxPoints=1000 of the long job", lossCurve);

            // Each read of the long job follows the same read of the short one, so H2 cannot hand back the result
            // of the identical query before (it reuses results while the tables are unchanged).
            System.out.println("\nbreakdown, long job (the reads diagnose makes):");
            dev.gradlab.curve.CurveQueries curves = app.bean(dev.gradlab.curve.CurveQueries.class);
            java.util.function.BiConsumer<String, java.util.function.Consumer<UUID>> breakdown = (what, call) -> {
                double[] millis = new double[requests];
                for (int i = 0; i < requests; i++) {
                    call.accept(small);
                    millis[i] = time(() -> call.accept(large));
                }
                report("  " + what, millis);
            };
            breakdown.accept("lossTail(10)", id -> curves.lossTail(id, 10));
            breakdown.accept("layerTail(weightGradientNorm, 10)", id -> curves.layerTail(id, "weightGradientNorm", 10));
            breakdown.accept("layerTail(saturatedFraction, 10)", id -> curves.layerTail(id, "saturatedFraction", 10));
            breakdown.accept("layerHead(weightGradientNorm)", id -> curves.layerHead(id, "weightGradientNorm"));
            breakdown.accept("layerHead(saturatedFraction)", id -> curves.layerHead(id, "saturatedFraction"));
            breakdown.accept("epoch (the last)", id -> curves.epoch(id, id.equals(large) ? largeEpochs : smallEpochs));
        }
    }

    private static void report(String what, double[] millis) {
        System.out.printf("%-75s median %7.2f ms  %s%n", what, Stats.median(millis), Stats.spread(millis, "%.2f"));
    }

    private static double time(Runnable r) {
        long t = System.nanoTime();
        r.run();
        return (System.nanoTime() - t) / 1e6;
    }

    private static void record(MetricWriter writer, UUID job, long iterations) {
        List<LayerInfo> layers = new ArrayList<>();
        for (int l = 0; l < LAYERS; l++) {
            boolean output = l == LAYERS - 1;
            layers.add(new LayerInfo(l, output ? "output" : "dense" + (l + 1), output ? "output" : "dense"));
        }
        try (MetricRecorder recorder = writer.open(job, (it, ep, bytes) -> true)) {
            recorder.onStart(new TrainingPlan(layers, iterations, PER_EPOCH, 100_000));
            for (long i = 1; i <= iterations; i++) {
                int epoch = (int) ((i - 1) / PER_EPOCH + 1);
                recorder.onIteration(new IterationMetrics(i, epoch, 0.69 + 0.01 * Math.sin(i), statistics(i)));
                if (i % PER_EPOCH == 0) {
                    recorder.onEpoch(new EpochMetrics(epoch, i, 0.5, 0.5, i));
                }
            }
        }
    }

    /** A vanishing 20-layer sigmoid net: each layer 4× below the one above, a fifth of the units saturated. */
    private static List<LayerStatistics> statistics(long iteration) {
        boolean probe = (iteration - 1) % 20 == 0;
        List<LayerStatistics> out = new ArrayList<>(LAYERS);
        for (int l = 0; l < LAYERS; l++) {
            double g = Math.pow(0.25, LAYERS - 1 - l) * (1 + 0.1 * Math.sin(iteration * 0.01 + l));
            boolean output = l == LAYERS - 1;
            out.add(new LayerStatistics(
                    l,
                    g,
                    g / 4,
                    null,
                    null,
                    g * 1e-2,
                    output ? null : 0.5,
                    output ? null : 0.2,
                    null,
                    null,
                    probe && !output ? 0.2 : null,
                    null,
                    probe && !output ? 0.2 : null,
                    probe ? 1.0 : null,
                    null));
        }
        return out;
    }

    private static String get(HttpClient http, String url) {
        try {
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(URI.create(url))
                            .timeout(Duration.ofSeconds(30))
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException(url + " answered " + r.statusCode() + ": " + r.body());
            }
            return r.body();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
