package dev.gradlab.training;

import com.sun.management.OperatingSystemMXBean;
import dev.gradlab.bench.BenchApp;
import dev.gradlab.bench.Stats;
import dev.gradlab.host.HostDescription;
import dev.gradlab.metric.MetricRecorder;
import dev.gradlab.metric.MetricWriter;
import dev.gradlab.spec.DatasetName;
import dev.gradlab.spec.ExperimentSpec;
import dev.gradlab.spec.Optimizer;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.UUID;

/**
 * What storing metrics costs a training run (target ≤ 5%): one spec (20×64 sigmoid MLP, spirals 2000 samples,
 * batch 128, SGD 0.1, metrics.every = 1) trained whole by ExperimentTrainer, A with an observer that drops
 * everything, B with a real MetricRecorder writing to the H2 file database, as JobRunner does (including the
 * progress update after each write and the wait in close() until every point is stored). Runs alternate
 * A B A B … so machine noise hits both alike; the result is the median B/A ratio over the pairs.
 *
 * <p>Besides wall time it compares CPU time, which other processes on a shared machine disturb far less: the
 * training thread's (what buffering and encoding on the training thread cost) and the whole process's (that
 * plus the writer thread, H2 and garbage collection; on a machine with a free core this runs beside training).
 *
 * <p>{@code bench/run StorageOverheadBench [pairs=10] [epochs=40]}
 */
public final class StorageOverheadBench {

    public static void main(String[] args) {
        System.out.println(HostDescription.current().line());
        int pairs = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int epochs = args.length > 1 ? Integer.parseInt(args[1]) : 40;
        ExperimentSpec spec = ExperimentSpec.builder()
                .model(m -> m.depth(20).width(64).residual(false).batchNorm(false))
                .dataset(d -> d.name(DatasetName.SPIRALS).samples(2000))
                .training(t -> t.optimizer(Optimizer.SGD)
                        .learningRate(0.1)
                        .batchSize(128)
                        .epochs(epochs)
                        .seed(42L))
                .metrics(m -> m.every(1))
                .build()
                .withDefaults();

        try (BenchApp app = BenchApp.start()) {
            MetricWriter writer = app.bean(MetricWriter.class);
            System.out.printf(
                    "spec: 20x64 sigmoid MLP, spirals 2000, batch 128, SGD 0.1, metrics.every 1, %d epochs "
                            + "= %d iterations per run; %d pairs A B%n",
                    epochs, spec.totalIterations(), pairs);
            // Warm-up pair (JIT, nd4j, H2), not counted.
            withoutStorage(spec);
            withStorage(spec, app, writer);

            double[] a = new double[pairs];
            double[] b = new double[pairs];
            double[] ratio = new double[pairs];
            double[] threadCpuRatio = new double[pairs];
            double[] processCpuRatio = new double[pairs];
            double[] cpuA = new double[pairs];
            for (int k = 0; k < pairs; k++) {
                Run runA = withoutStorage(spec);
                Run runB = withStorage(spec, app, writer);
                cpuA[k] = runA.threadCpuMs;
                a[k] = runA.wallMs;
                b[k] = runB.wallMs;
                ratio[k] = b[k] / a[k];
                threadCpuRatio[k] = runB.threadCpuMs / runA.threadCpuMs;
                processCpuRatio[k] = runB.processCpuMs / runA.processCpuMs;
                System.out.printf(
                        "pair %2d: wall A %.3f B %.3f ms/iteration, B/A %.3f; CPU B/A training thread "
                                + "%.3f, process %.3f%n",
                        k + 1, a[k], b[k], ratio[k], threadCpuRatio[k], processCpuRatio[k]);
            }
            System.out.printf("A no-op observer        : wall %s ms/iteration%n", Stats.spread(a, "%.3f"));
            System.out.printf("B MetricRecorder + H2   : wall %s ms/iteration%n", Stats.spread(b, "%.3f"));
            System.out.printf(
                    "B/A wall time per pair  : %s -> storage costs %+.1f%% (target <= 5%%: %s)%n",
                    Stats.spread(ratio, "%.3f"),
                    (Stats.median(ratio) - 1) * 100,
                    Stats.median(ratio) <= 1.05 ? "met" : "MISSED");
            System.out.printf(
                    "A training-thread CPU   : %s ms/iteration (wall/CPU %.2f: how crowded the cores were)%n",
                    Stats.spread(cpuA, "%.3f"), Stats.median(a) / Stats.median(cpuA));
            System.out.printf(
                    "B/A training-thread CPU : %s -> %+.1f%%%n",
                    Stats.spread(threadCpuRatio, "%.3f"), (Stats.median(threadCpuRatio) - 1) * 100);
            System.out.printf(
                    "B/A process CPU         : %s -> %+.1f%%%n",
                    Stats.spread(processCpuRatio, "%.3f"), (Stats.median(processCpuRatio) - 1) * 100);
        }
    }

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final OperatingSystemMXBean PROCESS =
            (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    /** Per iteration, in ms: wall time, this thread's CPU time, the whole process's CPU time. */
    private record Run(double wallMs, double threadCpuMs, double processCpuMs) {}

    private static Run withoutStorage(ExperimentSpec spec) {
        Meter meter = new Meter();
        TrainingOutcome outcome = new ExperimentTrainer().train(spec, metrics -> {}, () -> false);
        return meter.stop(outcome);
    }

    private static Run withStorage(ExperimentSpec spec, BenchApp app, MetricWriter writer) {
        UUID job = UUID.randomUUID();
        app.insertRunningJob(job, spec.totalIterations());
        Meter meter = new Meter();
        TrainingOutcome outcome;
        MetricRecorder recorder = writer.open(job, (it, ep, bytes) -> {
            app.progress(job, it, ep);
            return true;
        });
        try {
            outcome = new ExperimentTrainer().train(spec, recorder, () -> false);
        } finally {
            recorder.close();
        }
        return meter.stop(outcome);
    }

    private static final class Meter {
        private final long wall = System.nanoTime();
        private final long threadCpu = THREADS.getCurrentThreadCpuTime();
        private final long processCpu = PROCESS.getProcessCpuTime();

        Run stop(TrainingOutcome outcome) {
            if (outcome.status() != TrainingStatus.COMPLETED) {
                throw new IllegalStateException("run ended " + outcome.status());
            }
            double n = outcome.iterations() * 1e6;
            return new Run(
                    (System.nanoTime() - wall) / n,
                    (THREADS.getCurrentThreadCpuTime() - threadCpu) / n,
                    (PROCESS.getProcessCpuTime() - processCpu) / n);
        }
    }
}
