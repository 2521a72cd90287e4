package dev.gradlab.training;

import dev.gradlab.bench.BareDl4jLoop;
import dev.gradlab.bench.BenchSpecs;
import dev.gradlab.bench.Measurement;
import dev.gradlab.bench.Stats;
import dev.gradlab.dataset.DatasetLoader;
import dev.gradlab.dataset.Samples;
import dev.gradlab.dataset.SplitDataset;
import dev.gradlab.host.HostDescription;
import dev.gradlab.metric.DiscardingMetrics;
import dev.gradlab.metric.MetricRecorder;
import dev.gradlab.network.BuiltNetwork;
import dev.gradlab.network.NetworkFactory;
import dev.gradlab.spec.ExperimentSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.DoubleSupplier;
import org.nd4j.linalg.dataset.DataSet;

/**
 * Attributes the whole gap between GradLab's training core and a bare DL4J loop, per benchmark spec (at its
 * default metrics.every: 1 for the MLPs, 20 for rnn), to its parts. Each variant adds one part to the one before,
 * so the per-repeat ratios multiply to the total:
 * <ol>
 *   <li>A bare DL4J (BareDl4jLoop: a MultiLayerNetwork, or a ComputationGraph where residuals need one; minibatches
 *       built once);</li>
 *   <li>B GradLab's network (NetworkFactory: a ComputationGraph for every MLP) in the trainer's own loop
 *       ({@link ExperimentTrainer#run}) with every part off, on the same kind of prepared minibatches: the graph
 *       type (for M2 and the rnn specs both are the same type: what remains is the loop itself);</li>
 *   <li>C + minibatches shuffled and built each epoch, as jobs do;</li>
 *   <li>D + statistics (listener every recorded iteration, its divergence check otherwise, activation probe, per-step
 *       probe for rnn, gradient ratio);</li>
 *   <li>E + accuracy on both splits after every epoch;</li>
 *   <li>F + the metric hand-off: the service's MetricRecorder as observer (its writer's store discards);</li>
 *   <li>G the whole {@link ExperimentTrainer#train} with that recorder: + dataset generation, network build,
 *       close and workspace tear-down per job.</li>
 * </ol>
 * Also H, {@code train} with a no-op observer: PerformanceSuite's "core"; and I, E scoring the whole splits every
 * epoch (as before training.evaluationSamples), for that lever's figure E/I. B–F and I reuse one network each across
 * repeats.
 * Variants alternate within each repeat; the first one rotates from repeat to repeat.
 * Usage: {@code bench/run CoreBreakdownBench [M1,M2,M3,R1,R2] [repeats]}
 */
public final class CoreBreakdownBench {

    private static final String[] PARTS = {
        "graph type (B/A)",
        "minibatch preparation (C/B)",
        "statistics (D/C)",
        "evaluation, both splits (E/D)",
        "metric hand-off (F/E)",
        "set-up/tear-down (G/F)",
    };

    public static void main(String[] args) throws Exception {
        System.out.println(HostDescription.current().line());
        String[] names = (args.length > 0 ? args[0] : "M1").split(",");
        int repeats = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        List<String> summary = new ArrayList<>();
        for (String name : names) {
            summary.add(breakdown(name.trim(), repeats));
        }
        System.out.println();
        System.out.println(
                "| spec | bare samples/s | graph type | minibatch prep | statistics | evaluation | hand-off "
                        + "| set-up/tear-down | product | core (G) / bare | suite core (H) / bare | capped / whole evaluation (E/I) |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|");
        summary.forEach(System.out::println);
    }

    private static String breakdown(String name, int repeats) {
        ExperimentSpec spec = BenchSpecs.load(name);
        System.out.printf(
                "%n%s: metrics.every %d, %d epochs%n",
                name, spec.metrics().every(), spec.training().epochs());
        SplitDataset data = DatasetLoader.withDefaults().load(spec.dataset());
        Samples train = data.train();
        long samples = (long) spec.training().epochs() * train.size();
        int batchSize = Math.min(spec.training().batchSize(), train.size());
        int[] order = new MinibatchOrder(spec.training().seed(), train.size()).nextEpoch();
        List<DataSet> prepared = new ArrayList<>();
        for (int from = 0; from < train.size(); from += batchSize) {
            prepared.add(ExperimentTrainer.minibatch(
                    train,
                    order,
                    from,
                    Math.min(train.size(), from + batchSize),
                    org.nd4j.linalg.api.buffer.DataType.FLOAT));
        }
        ExperimentTrainer trainer = new ExperimentTrainer();
        DiscardingMetrics metrics = new DiscardingMetrics();
        BareDl4jLoop bare = new BareDl4jLoop(spec);
        List<DoubleSupplier> variants = new ArrayList<>();
        variants.add(() -> bare.run(spec.training().epochs()).samplesPerSecond());
        variants.add(loop(trainer, spec, data, new ExperimentTrainer.Parts(false, false, prepared, false), false));
        variants.add(loop(trainer, spec, data, new ExperimentTrainer.Parts(false, false, null, false), false));
        variants.add(loop(trainer, spec, data, new ExperimentTrainer.Parts(true, false, null, false), false));
        variants.add(loop(trainer, spec, data, new ExperimentTrainer.Parts(true, true, null, false), false));
        variants.add(loop(trainer, spec, data, ExperimentTrainer.Parts.ALL, true));
        // On threads of their own, as jobs run on the queue's: train() destroys its thread's workspaces at the end,
        // which would otherwise make the next variant on this thread pay for creating them again.
        ExecutorService jobThreads = Executors.newFixedThreadPool(2);
        variants.add(onThread(jobThreads, () -> {
            Measurement.Clock clock = Measurement.start();
            try (MetricRecorder recorder = metrics.open()) {
                trainer.train(spec, recorder, () -> false);
            }
            return clock.stop(samples).samplesPerSecond();
        }));
        variants.add(onThread(jobThreads, () -> {
            Measurement.Clock clock = Measurement.start();
            trainer.train(spec, m -> {}, () -> false);
            return clock.stop(samples).samplesPerSecond();
        }));
        // I: E as it was before training.evaluationSamples (whole splits every epoch), for the lever's figure
        ExperimentSpec wholeSplits = spec.withTraining(t -> t.evaluationSamples(Integer.MAX_VALUE / 2));
        variants.add(loop(trainer, wholeSplits, data, new ExperimentTrainer.Parts(true, true, null, false), false));
        for (int v = 1; v < variants.size(); v++) {
            variants.get(v).getAsDouble(); // warm-up (A warmed up when built)
        }
        int n = variants.size();
        double[][] rate = new double[n][repeats];
        for (int r = 0; r < repeats; r++) {
            for (int k = 0; k < n; k++) {
                int v = (r + k) % n;
                rate[v][r] = variants.get(v).getAsDouble();
            }
            StringBuilder line = new StringBuilder("repeat " + (r + 1) + ":");
            for (int v = 0; v < n; v++) {
                line.append(String.format(" %c %.0f", (char) ('A' + v), rate[v][r]));
            }
            System.out.println(line + " samples/s");
        }
        jobThreads.shutdown();
        StringBuilder row = new StringBuilder(String.format("| %s | %.0f |", name, Stats.median(rate[0])));
        double[] product = new double[repeats];
        java.util.Arrays.fill(product, 1);
        System.out.printf("%s: A bare DL4J %s samples/s%n", name, Stats.spread(rate[0], "%.0f"));
        for (int p = 0; p < PARTS.length; p++) {
            double[] ratio = ratio(rate[p + 1], rate[p]);
            for (int r = 0; r < repeats; r++) {
                product[r] *= ratio[r];
            }
            System.out.printf("  %-32s %s%n", PARTS[p], Stats.spread(ratio, "%.3f"));
            row.append(String.format(" %.3f |", Stats.median(ratio)));
        }
        double[] core = ratio(rate[6], rate[0]);
        double[] suiteCore = ratio(rate[7], rate[0]);
        System.out.printf("  %-32s %s%n", "core with recorder (G/A)", Stats.spread(core, "%.3f"));
        System.out.printf("  %-32s %s%n", "suite's core, no-op observer (H/A)", Stats.spread(suiteCore, "%.3f"));
        double[] capped = ratio(rate[4], rate[8]);
        System.out.printf("  %-32s %s%n", "evaluation capped / whole splits (E/I)", Stats.spread(capped, "%.3f"));
        row.append(String.format(
                " %.3f | %.3f | %.3f | %.3f |",
                Stats.median(product), Stats.median(core), Stats.median(suiteCore), Stats.median(capped)));
        return row.toString();
    }

    /** The trainer's loop on one network, built once and trained on across repeats. */
    private static DoubleSupplier loop(
            ExperimentTrainer trainer,
            ExperimentSpec spec,
            SplitDataset data,
            ExperimentTrainer.Parts parts,
            boolean recorder) {
        BuiltNetwork network = NetworkFactory.build(spec, spec.dataset().outputs());
        DiscardingMetrics metrics = new DiscardingMetrics();
        long samples = (long) spec.training().epochs() * data.train().size();
        return () -> {
            Measurement.Clock clock = Measurement.start();
            if (recorder) {
                try (MetricRecorder observer = metrics.open()) {
                    trainer.run(spec, network, data, observer, () -> false, System.nanoTime(), parts);
                }
            } else {
                trainer.run(spec, network, data, m -> {}, () -> false, System.nanoTime(), parts);
            }
            return clock.stop(samples).samplesPerSecond();
        };
    }

    private static DoubleSupplier onThread(ExecutorService threads, DoubleSupplier work) {
        return () -> {
            try {
                return threads.submit(work::getAsDouble).get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            } catch (ExecutionException e) {
                throw new IllegalStateException(e.getCause());
            }
        };
    }

    private static double[] ratio(double[] numerator, double[] denominator) {
        double[] out = new double[numerator.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = numerator[i] / denominator[i];
        }
        return out;
    }
}
