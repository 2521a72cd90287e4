package dev.gradlab.network;

import com.sun.management.ThreadMXBean;
import dev.gradlab.bench.BareDl4jLoop;
import dev.gradlab.bench.BenchSpecs;
import dev.gradlab.bench.Stats;
import dev.gradlab.dataset.DatasetFactory;
import dev.gradlab.dataset.Samples;
import dev.gradlab.host.HostDescription;
import dev.gradlab.spec.ExperimentSpec;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Locale;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.updater.MultiLayerUpdater;
import org.deeplearning4j.nn.updater.graph.ComputationGraphUpdater;
import org.nd4j.linalg.dataset.DataSet;

/**
 * GradLab's networks trained with DL4J's own updater against the one that hands the network's gradient over as its
 * own ({@link OwnViewGradient}), alternating within each repeat, on the same minibatches (no listener, no
 * evaluation). Per variant: samples per CPU second of the training thread (leaves out collector pauses and other
 * processes), samples/s of wall time, and heap bytes allocated per step (nd4j's per-buffer tracking objects are most
 * of them).
 *   bench/run UpdaterViewsBench [specs=M1,M2,M3,R1,R2] [repeats=5]
 */
public final class UpdaterViewsBench {

    private static final ThreadMXBean THREADS = (ThreadMXBean) ManagementFactory.getThreadMXBean();

    private UpdaterViewsBench() {}

    public static void main(String[] args) {
        System.out.println(HostDescription.current().line());
        String[] specs = (args.length > 0 ? args[0] : "M1,M2,M3,R1,R2").split(",");
        int repeats = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        for (String name : specs) {
            ExperimentSpec spec = BenchSpecs.load(name);
            Samples train = DatasetFactory.generate(spec.dataset()).train();
            List<DataSet> batches =
                    BareDl4jLoop.minibatches(train, spec.training().batchSize());
            BuiltNetwork dl4j = NetworkFactory.build(spec, train.outputs());
            restoreDl4jUpdater(dl4j);
            BuiltNetwork own = NetworkFactory.build(spec, train.outputs());
            int epochs = spec.training().epochs();
            run(dl4j, batches, 1); // warm-up, both
            run(own, batches, 1);
            double[][] cpuRate = new double[2][repeats];
            double[][] wallRate = new double[2][repeats];
            double[][] bytesPerStep = new double[2][repeats];
            for (int r = 0; r < repeats; r++) {
                for (int i = 0; i < 2; i++) {
                    int v = (i + r) % 2; // which variant goes first alternates
                    double[] m = run(v == 0 ? dl4j : own, batches, epochs);
                    long samples = (long) epochs * train.size();
                    wallRate[v][r] = samples / m[0];
                    cpuRate[v][r] = samples / m[1];
                    bytesPerStep[v][r] = m[2] / ((double) epochs * batches.size());
                }
            }
            double[] ratioCpu = new double[repeats];
            double[] ratioWall = new double[repeats];
            for (int r = 0; r < repeats; r++) {
                ratioCpu[r] = cpuRate[1][r] / cpuRate[0][r];
                ratioWall[r] = wallRate[1][r] / wallRate[0][r];
            }
            System.out.printf(
                    Locale.ROOT,
                    "%s: DL4J's updater %.0f samples/CPU s, %.0f samples/s, %.0f KB/step; own view %.0f samples/CPU s,"
                            + " %.0f samples/s, %.0f KB/step; own/DL4J per CPU s %s, wall %s%n",
                    name,
                    Stats.median(cpuRate[0]),
                    Stats.median(wallRate[0]),
                    Stats.median(bytesPerStep[0]) / 1024,
                    Stats.median(cpuRate[1]),
                    Stats.median(wallRate[1]),
                    Stats.median(bytesPerStep[1]) / 1024,
                    Stats.spread(ratioCpu, "%.3f"),
                    Stats.spread(ratioWall, "%.3f"));
            dl4j.close();
            own.close();
        }
    }

    /** DL4J's own updater in place of the one NetworkFactory installs. */
    private static void restoreDl4jUpdater(BuiltNetwork network) {
        if (!network.recurrent()) {
            network.graph().setUpdater(new ComputationGraphUpdater(network.graph()));
        } else {
            MultiLayerNetwork stack = (MultiLayerNetwork) network.model();
            stack.setUpdater(new MultiLayerUpdater(stack));
        }
    }

    /** {wall seconds, CPU seconds of this thread, heap bytes this thread allocated}. */
    private static double[] run(BuiltNetwork network, List<DataSet> batches, int epochs) {
        long thread = Thread.currentThread().getId();
        long bytes0 = THREADS.getThreadAllocatedBytes(thread);
        long cpu0 = THREADS.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        for (int e = 0; e < epochs; e++) {
            for (DataSet batch : batches) {
                network.fit(batch);
            }
        }
        return new double[] {
            (System.nanoTime() - t0) / 1e9,
            (THREADS.getCurrentThreadCpuTime() - cpu0) / 1e9,
            THREADS.getThreadAllocatedBytes(thread) - bytes0
        };
    }
}
