package dev.gradlab.training;

import static dev.gradlab.bench.Stats.max;
import static dev.gradlab.bench.Stats.median;
import static dev.gradlab.bench.Stats.min;

import dev.gradlab.bench.BenchSpecs;
import dev.gradlab.dataset.DatasetFactory;
import dev.gradlab.dataset.Samples;
import dev.gradlab.host.HostDescription;
import dev.gradlab.network.BuiltNetwork;
import dev.gradlab.network.NetworkFactory;
import dev.gradlab.spec.ExperimentSpec;
import dev.gradlab.spec.GradientClipping;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * What recording statistics costs per iteration, for the 20×64 sigmoid MLP at batch 128 (issue: ≤ 5%).
 * Three networks built from one spec train side by side, alternating blocks A B C A B C … so machine noise hits
 * all three alike: A has no listener (bare DL4J), B records every layer statistic every iteration
 * (metrics.every = 1), C only watches loss and finiteness (the iterations metrics.every skips).
 * Prints the median per-iteration time of each and the ratios B/A and C/A. With a fourth argument, a spec of
 * bench/specs instead (its network, batch size and first 16 minibatches of its data; batchNorm is ignored).
 */
public final class StatisticsOverheadBench {

    private static final java.lang.management.ThreadMXBean CPU =
            java.lang.management.ManagementFactory.getThreadMXBean();

    public static void main(String[] args) {
        System.out.println(HostDescription.current().line());
        int blocks = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        int perBlock = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        boolean batchNorm = args.length > 2 && Boolean.parseBoolean(args[2]);
        String specName = args.length > 3 ? args[3] : null;
        ExperimentSpec spec = specName != null
                ? BenchSpecs.load(specName)
                : BenchSpecs.mlp20x64(m -> m.residual(false).batchNorm(batchNorm));

        int outputs = spec.dataset().outputs();
        BuiltNetwork bare = NetworkFactory.build(spec, outputs);
        BuiltNetwork full = NetworkFactory.build(spec, outputs);
        BuiltNetwork light = NetworkFactory.build(spec, outputs);
        GradientNormListener fullListener = new GradientNormListener(full, GradientClipping.NONE);
        GradientNormListener lightListener = new GradientNormListener(light, GradientClipping.NONE);
        full.graph().setListeners(fullListener);
        light.graph().setListeners(lightListener);

        int batchSize = spec.training().batchSize();
        DataSet[] batches = new DataSet[16];
        if (specName != null) { // the spec's own examples, as its jobs train on them
            Samples train = DatasetFactory.generate(spec.dataset()).train();
            int[] order = new MinibatchOrder(1L, train.size()).nextEpoch();
            for (int i = 0; i < batches.length; i++) {
                int from = (i * batchSize) % (train.size() - batchSize + 1);
                batches[i] = ExperimentTrainer.minibatch(train, order, from, from + batchSize, DataType.FLOAT);
            }
        } else {
            batches = randomBatches();
        }
        // Warm-up: JIT, nd4j's first calls, workspace sizing.
        for (int i = 0; i < 300; i++) {
            bare.graph().fit(batches[i % batches.length]);
            fullListener.beginIteration(i + 1, batchSize, true);
            full.graph().fit(batches[i % batches.length]);
            lightListener.beginIteration(i + 1, batchSize, false);
            light.graph().fit(batches[i % batches.length]);
        }
        double[] a = new double[blocks];
        double[] b = new double[blocks];
        double[] c = new double[blocks];
        double[] ratioB = new double[blocks];
        double[] ratioC = new double[blocks];
        double[] cpuRatioB = new double[blocks];
        double[] cpuRatioC = new double[blocks];
        for (int k = 0; k < blocks; k++) {
            long cpu0 = CPU.getCurrentThreadCpuTime();
            a[k] = block(bare, null, false, batches, perBlock, batchSize);
            long cpu1 = CPU.getCurrentThreadCpuTime();
            b[k] = block(full, fullListener, true, batches, perBlock, batchSize);
            long cpu2 = CPU.getCurrentThreadCpuTime();
            c[k] = block(light, lightListener, false, batches, perBlock, batchSize);
            long cpu3 = CPU.getCurrentThreadCpuTime();
            ratioB[k] = b[k] / a[k];
            ratioC[k] = c[k] / a[k];
            cpuRatioB[k] = (double) (cpu2 - cpu1) / (cpu1 - cpu0);
            cpuRatioC[k] = (double) (cpu3 - cpu2) / (cpu1 - cpu0);
        }
        System.out.printf(
                "model: %s, batch %d; %d blocks x %d iterations, alternating A B C%n",
                specName != null
                        ? "bench/specs/" + specName + ".json"
                        : "20x64 sigmoid MLP" + (batchNorm ? " with batch norm" : "") + ", SGD",
                batchSize,
                blocks,
                perBlock);
        System.out.printf("A bare DL4J              : median %.3f ms/iteration%n", median(a));
        System.out.printf("B statistics every iter  : median %.3f ms/iteration%n", median(b));
        System.out.printf("C loss + finiteness only : median %.3f ms/iteration%n", median(c));
        System.out.printf(
                "B/A per block: median %.3f (min %.3f, max %.3f)  -> statistics cost %+.1f%%%n",
                median(ratioB), min(ratioB), max(ratioB), (median(ratioB) - 1) * 100);
        System.out.printf(
                "C/A per block: median %.3f (min %.3f, max %.3f)  -> %+.1f%%%n",
                median(ratioC), min(ratioC), max(ratioC), (median(ratioC) - 1) * 100);
        // With OMP_NUM_THREADS=1 nd4j computes on the calling thread, so its CPU time is the work done, whatever
        // else the (shared) machine runs; wall time is what a user waits.
        System.out.printf(
                "B/A training-thread CPU time: median %.3f (min %.3f, max %.3f)  -> statistics cost %+.1f%%%n",
                median(cpuRatioB), min(cpuRatioB), max(cpuRatioB), (median(cpuRatioB) - 1) * 100);
        System.out.printf(
                "C/A training-thread CPU time: median %.3f (min %.3f, max %.3f)  -> %+.1f%%%n",
                median(cpuRatioC), min(cpuRatioC), max(cpuRatioC), (median(cpuRatioC) - 1) * 100);
    }

    /** The 20×64 benches' data: 16 minibatches of 128 uniform 2-D points, labels alternating by row. */
    static DataSet[] randomBatches() {
        DataSet[] batches = new DataSet[16];
        for (int i = 0; i < batches.length; i++) {
            INDArray x = Nd4j.rand(DataType.FLOAT, 128, 2).subi(0.5);
            INDArray y = Nd4j.zeros(DataType.FLOAT, 128, 2);
            for (int r = 0; r < 128; r++) {
                y.putScalar(r, (r + i) % 2, 1f);
            }
            batches[i] = new DataSet(x, y);
        }
        return batches;
    }

    private static double block(
            BuiltNetwork net,
            GradientNormListener listener,
            boolean record,
            DataSet[] batches,
            int iterations,
            int batchSize) {
        long start = System.nanoTime();
        for (int i = 0; i < iterations; i++) {
            if (listener != null) {
                listener.beginIteration(i + 1, batchSize, record);
            }
            net.graph().fit(batches[i % batches.length]);
            if (listener != null) {
                listener.statistics();
            }
        }
        return (System.nanoTime() - start) / 1e6 / iterations;
    }
}
