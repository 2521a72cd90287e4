package dev.gradlab.training;

import static dev.gradlab.bench.Stats.max;
import static dev.gradlab.bench.Stats.median;
import static dev.gradlab.bench.Stats.min;

import dev.gradlab.bench.BenchSpecs;
import dev.gradlab.host.HostDescription;
import dev.gradlab.network.BuiltNetwork;
import dev.gradlab.network.NetworkFactory;
import dev.gradlab.spec.Activation;
import dev.gradlab.spec.ExperimentSpec;
import dev.gradlab.spec.GradientClipping;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * What the activation probe (saturated and dead fractions on a fixed 64-example batch) adds to training, for the
 * 20×64 sigmoid MLP at batch 128 with every statistic every iteration (metrics.every = 1, the MLP default). Two
 * networks built from one spec train side by side in alternating blocks: B records the listener's statistics every
 * iteration (as today), D does the same plus the probe on every {@link ActivationProbe#every}(1)-th iteration, as
 * ExperimentTrainer runs it. Prints the median per-iteration time of each, D/B per block (wall and training-thread
 * CPU), and the cost of one probe against one iteration.
 *
 * <p>{@code bench/run ActivationProbeOverheadBench [blocks=15] [iterationsPerBlock=100] [activation=sigmoid]}
 */
public final class ActivationProbeOverheadBench {

    private static final java.lang.management.ThreadMXBean CPU =
            java.lang.management.ManagementFactory.getThreadMXBean();

    public static void main(String[] args) {
        System.out.println(HostDescription.current().line());
        int blocks = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        int perBlock = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        Activation activation = args.length > 2 ? Activation.valueOf(args[2].toUpperCase()) : Activation.SIGMOID;
        ExperimentSpec spec = BenchSpecs.mlp20x64(m -> m.activation(activation));
        BuiltNetwork plain = NetworkFactory.build(spec, 2);
        BuiltNetwork probed = NetworkFactory.build(spec, 2);
        GradientNormListener plainListener = new GradientNormListener(plain, GradientClipping.NONE);
        GradientNormListener probedListener = new GradientNormListener(probed, GradientClipping.NONE);
        plain.setListeners(plainListener);
        probed.setListeners(probedListener);
        ActivationProbe probe =
                new ActivationProbe(Nd4j.rand(DataType.FLOAT, 64, 2).subi(0.5), activation, null);
        int probeEvery = ActivationProbe.every(1);

        DataSet[] batches = StatisticsOverheadBench.randomBatches();
        for (int i = 0; i < 300; i++) { // warm-up: JIT, nd4j's first calls, workspace sizing
            step(plain, plainListener, null, 0, i, batches);
            step(probed, probedListener, probe, probeEvery, i, batches);
        }
        double[] b = new double[blocks];
        double[] d = new double[blocks];
        double[] ratio = new double[blocks];
        double[] cpuRatio = new double[blocks];
        double[] probeMillis = new double[blocks];
        for (int k = 0; k < blocks; k++) {
            long cpu0 = CPU.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            for (int i = 0; i < perBlock; i++) {
                step(plain, plainListener, null, 0, i, batches);
            }
            long cpu1 = CPU.getCurrentThreadCpuTime();
            long t1 = System.nanoTime();
            for (int i = 0; i < perBlock; i++) {
                step(probed, probedListener, probe, probeEvery, i, batches);
            }
            long cpu2 = CPU.getCurrentThreadCpuTime();
            long t2 = System.nanoTime();
            for (int i = 0; i < 10; i++) {
                probe.measure(probed);
            }
            long t3 = System.nanoTime();
            b[k] = (t1 - t0) / 1e6 / perBlock;
            d[k] = (t2 - t1) / 1e6 / perBlock;
            ratio[k] = d[k] / b[k];
            cpuRatio[k] = (double) (cpu2 - cpu1) / (cpu1 - cpu0);
            probeMillis[k] = (t3 - t2) / 1e6 / 10;
        }
        System.out.printf(
                "model: 20x64 %s MLP, batch 128, SGD; %d blocks x %d iterations, alternating B D; probe every %d%n",
                activation.name().toLowerCase(), blocks, perBlock, probeEvery);
        System.out.printf("B statistics every iteration      : median %.3f ms/iteration%n", median(b));
        System.out.printf("D the same + probe every %d       : median %.3f ms/iteration%n", probeEvery, median(d));
        System.out.printf(
                "D/B per block: median %.3f (min %.3f, max %.3f)  -> probe cost %+.1f%%%n",
                median(ratio), min(ratio), max(ratio), (median(ratio) - 1) * 100);
        System.out.printf(
                "D/B training-thread CPU time: median %.3f (min %.3f, max %.3f)  -> probe cost %+.1f%%%n",
                median(cpuRatio), min(cpuRatio), max(cpuRatio), (median(cpuRatio) - 1) * 100);
        System.out.printf(
                "one probe: median %.3f ms = %.2f iterations of B%n",
                median(probeMillis), median(probeMillis) / median(b));
    }

    private static void step(
            BuiltNetwork net,
            GradientNormListener listener,
            ActivationProbe probe,
            int probeEvery,
            int iteration,
            DataSet[] batches) {
        ActivationProbe.Measurements fractions =
                probe != null && iteration % probeEvery == 0 ? probe.measure(net) : null;
        listener.beginIteration(iteration + 1, 128, true);
        net.fit(batches[iteration % batches.length]);
        listener.statistics(fractions);
    }
}
