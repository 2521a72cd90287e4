package dev.gradlab.training;

import dev.gradlab.bench.BareDl4jLoop;
import dev.gradlab.bench.BenchSpecs;
import dev.gradlab.bench.Measurement;
import dev.gradlab.bench.Stats;
import dev.gradlab.dataset.DatasetFactory;
import dev.gradlab.dataset.Samples;
import dev.gradlab.host.HostDescription;
import dev.gradlab.network.BuiltNetwork;
import dev.gradlab.network.NetworkFactory;
import dev.gradlab.spec.ExperimentSpec;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.dataset.DataSet;

/**
 * Where GradLab's training core spends the time it takes beyond bare DL4J, for one benchmark spec: alternating
 * A the hand-written DL4J network (BareDl4jLoop), B GradLab's network (NetworkFactory) fitted on the same prepared
 * minibatches with no listener, C B plus the GradientNormListener recording every statistic every iteration,
 * D the whole ExperimentTrainer at metrics.every = 1 (minibatch assembly, epoch accuracy, network build).
 * Usage: {@code bench/run CoreBreakdownBench [spec] [repeats]}
 */
public final class CoreBreakdownBench {

    public static void main(String[] args) throws Exception {
        System.out.println(HostDescription.current().line());
        String name = args.length > 0 ? args[0] : "M1";
        int repeats = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        ExperimentSpec given = BenchSpecs.load(name);
        ExperimentSpec spec = given.withMetrics(m -> m.every(1));
        int epochs = spec.training().epochs();
        Samples train = DatasetFactory.generate(spec.dataset()).train();
        int[] order = new int[train.size()];
        java.util.Arrays.setAll(order, i -> i);
        List<DataSet> batches = new ArrayList<>();
        int b = spec.training().batchSize();
        for (int from = 0; from < train.size(); from += b) {
            batches.add(ExperimentTrainer.minibatch(
                    train, order, from, Math.min(train.size(), from + b), org.nd4j.linalg.api.buffer.DataType.FLOAT));
        }
        BareDl4jLoop bare = new BareDl4jLoop(spec);
        BuiltNetwork plain = NetworkFactory.build(spec, train.outputs());
        BuiltNetwork listened = NetworkFactory.build(spec, train.outputs());
        GradientNormListener listener =
                new GradientNormListener(listened, spec.training().gradientClipping());
        listened.setListeners(listener);
        ExperimentTrainer trainer = new ExperimentTrainer();
        long samples = (long) epochs * train.size();
        fit(plain, null, batches, 1);
        fit(listened, listener, batches, 1);
        trainer.train(spec, m -> {}, () -> false);

        double[] a = new double[repeats];
        double[] ba = new double[repeats];
        double[] cb = new double[repeats];
        double[] dc = new double[repeats];
        double[] da = new double[repeats];
        for (int r = 0; r < repeats; r++) {
            double ra = bare.run(epochs).samplesPerSecond();
            Measurement.Clock clock = Measurement.start();
            fit(plain, null, batches, epochs);
            double rb = clock.stop(samples).samplesPerSecond();
            clock = Measurement.start();
            fit(listened, listener, batches, epochs);
            double rc = clock.stop(samples).samplesPerSecond();
            clock = Measurement.start();
            trainer.train(spec, m -> {}, () -> false);
            double rd = clock.stop(samples).samplesPerSecond();
            a[r] = ra;
            ba[r] = rb / ra;
            cb[r] = rc / rb;
            dc[r] = rd / rc;
            da[r] = rd / ra;
            System.out.printf("repeat %d: A %.0f, B %.0f, C %.0f, D %.0f samples/s%n", r + 1, ra, rb, rc, rd);
        }
        System.out.printf("%s: A bare DL4J %s samples/s%n", name, Stats.spread(a, "%.0f"));
        System.out.printf("B/A GradLab's network vs hand-written: %s%n", Stats.spread(ba, "%.3f"));
        System.out.printf("C/B + statistics every iteration:      %s%n", Stats.spread(cb, "%.3f"));
        System.out.printf("D/C + trainer (batches, epoch accuracy, build): %s%n", Stats.spread(dc, "%.3f"));
        System.out.printf("D/A core vs bare:                     %s%n", Stats.spread(da, "%.3f"));
    }

    private static void fit(BuiltNetwork net, GradientNormListener listener, List<DataSet> batches, int epochs) {
        long iteration = 0;
        for (int e = 0; e < epochs; e++) {
            for (DataSet batch : batches) {
                iteration++;
                if (listener != null) {
                    listener.beginIteration(iteration, (int) batch.getFeatures().size(0), true);
                }
                net.fit(batch);
                if (listener != null) {
                    listener.statistics();
                }
            }
        }
    }
}
