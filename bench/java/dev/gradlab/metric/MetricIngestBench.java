package dev.gradlab.metric;

import dev.gradlab.bench.BenchApp;
import dev.gradlab.bench.Stats;
import dev.gradlab.host.HostDescription;
import dev.gradlab.training.EpochMetrics;
import dev.gradlab.training.IterationMetrics;
import dev.gradlab.training.LayerInfo;
import dev.gradlab.training.LayerStatistics;
import dev.gradlab.training.TrainingPlan;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Metric points per second that MetricRecorder → MetricWriter → MetricStore sustain on the embedded H2 file
 * database (target ≥ 100,000 points/s). Synthetic runs, no training: each iteration reports the loss and all 7
 * statistics of every layer (21 layers → 148 points), so the producer is far faster than the database and the
 * rate measured is the storage path's. Each run counts until close() returns (every point committed), and then
 * separately until a CHECKPOINT SYNC has forced it to disk. Runs go one after another into one database.
 * An epoch ends every {@code iterationsPerEpoch} iterations (default 13, as for the spirals' 1600 training
 * samples at batch 128); each end of epoch makes the recorder hand over every growing chunk, as in training.
 *
 * <p>{@code bench/run MetricIngestBench [runs=5] [iterationsPerRun=20000] [layers=21] [iterationsPerEpoch=13]}
 */
public final class MetricIngestBench {

    public static void main(String[] args) {
        System.out.println(HostDescription.current().line());
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int iterations = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
        int layers = args.length > 2 ? Integer.parseInt(args[2]) : 21;
        int iterationsPerEpoch = args.length > 3 ? Integer.parseInt(args[3]) : 13;
        long pointsPerIteration = 1 + 7L * layers;
        long points = pointsPerIteration * iterations;

        try (BenchApp app = BenchApp.start()) {
            MetricWriter writer = app.bean(MetricWriter.class);
            System.out.printf(
                    "%d runs x %d iterations x %d points (loss + %d layers x 7 statistics) = %,d points "
                            + "per run, an epoch every %d iterations, H2 file database%n",
                    runs, iterations, pointsPerIteration, layers, points, iterationsPerEpoch);
            // Warm-up: JIT, pool, H2.
            run(app, writer, UUID.randomUUID(), Math.min(iterations, 5_000), layers, iterationsPerEpoch);

            double[] committedRate = new double[runs];
            double[] syncedRate = new double[runs];
            double[] producerRate = new double[runs];
            for (int r = 0; r < runs; r++) {
                UUID job = UUID.randomUUID();
                Timings t = run(app, writer, job, iterations, layers, iterationsPerEpoch);
                long sync = System.nanoTime();
                app.checkpointSync();
                double syncSeconds = (System.nanoTime() - sync) / 1e9;
                long stored = app.jdbc()
                        .queryForObject("select sum(point_count) from metric_chunk where job_id = ?", Long.class, job);
                if (stored != points) {
                    throw new IllegalStateException("stored " + stored + " points, expected " + points);
                }
                committedRate[r] = points / t.totalSeconds;
                syncedRate[r] = points / (t.totalSeconds + syncSeconds);
                producerRate[r] = points / t.producerSeconds;
                System.out.printf(
                        "run %d: %,.0f points/s to close() (%.2f s), %,.0f points/s incl. checkpoint sync "
                                + "(+%.2f s); training thread handed off at %,.0f points/s; database now %d MB%n",
                        r + 1,
                        committedRate[r],
                        t.totalSeconds,
                        syncedRate[r],
                        syncSeconds,
                        producerRate[r],
                        app.databaseBytes() >> 20);
            }
            System.out.printf("ingest to close()          : %s points/s%n", Stats.spread(committedRate, "%,.0f"));
            System.out.printf("ingest incl. checkpoint sync: %s points/s%n", Stats.spread(syncedRate, "%,.0f"));
            System.out.printf(
                    "target >= 100,000 points/s: %s%n", Stats.median(committedRate) >= 100_000 ? "met" : "MISSED");
        }
    }

    private record Timings(double producerSeconds, double totalSeconds) {}

    private static Timings run(
            BenchApp app, MetricWriter writer, UUID job, int iterations, int layerCount, int iterationsPerEpoch) {
        app.insertRunningJob(job, iterations);
        List<LayerInfo> layers = new ArrayList<>();
        for (int l = 0; l < layerCount; l++) {
            layers.add(new LayerInfo(l, "dense_" + l, "dense"));
        }
        long start = System.nanoTime();
        MetricRecorder recorder = writer.open(job, (it, ep, bytes) -> {
            app.progress(job, it, ep);
            return true;
        });
        recorder.onStart(new TrainingPlan(layers, iterations, iterationsPerEpoch, 100_000));
        for (int i = 1; i <= iterations; i++) {
            int epoch = (i - 1) / iterationsPerEpoch + 1;
            recorder.onIteration(new IterationMetrics(i, epoch, 0.7 / Math.sqrt(i), statistics(i, layerCount)));
            if (i % iterationsPerEpoch == 0) {
                recorder.onEpoch(new EpochMetrics(epoch, i, 0.5, 0.5, i));
            }
        }
        long produced = System.nanoTime();
        recorder.close();
        long end = System.nanoTime();
        return new Timings((produced - start) / 1e9, (end - start) / 1e9);
    }

    /** Every statistic present (clipping on, activations exposed): the most points an iteration can report. */
    static List<LayerStatistics> statistics(long iteration, int layerCount) {
        List<LayerStatistics> out = new ArrayList<>(layerCount);
        double decay = Math.exp(-iteration * 1e-5);
        for (int l = 0; l < layerCount; l++) {
            double g = decay * Math.pow(0.8, layerCount - l) * (1 + 0.1 * Math.sin(iteration + l));
            out.add(new LayerStatistics(
                    l, g, g / 4, Math.min(g, 1), Math.min(g / 4, 1), g * 1e-2, 0.5, 0.2, null, null));
        }
        return out;
    }
}
