package dev.gradlab.training;

import static dev.gradlab.bench.Stats.max;
import static dev.gradlab.bench.Stats.median;
import static dev.gradlab.bench.Stats.min;

import dev.gradlab.host.HostDescription;
import dev.gradlab.spec.Activation;
import dev.gradlab.spec.DatasetName;
import dev.gradlab.spec.ExperimentSpec;
import dev.gradlab.spec.MetricsSpec;
import dev.gradlab.spec.ModelSpec;
import dev.gradlab.spec.Optimizer;
import dev.gradlab.spec.RnnCell;

/**
 * Recurrent training throughput and the cost of measuring gradients through time: a simple RNN and an LSTM
 * (hidden 128, T = 50, batch 64, adding problem, Adam 1e-3), each trained with the per-step probe at the default
 * metrics.every (20 for rnn) and with it at every iteration, against the same run with statistics only every
 * 1,000,000 iterations (first and last only). Runs alternate A B C A B C; prints samples/s and median ratios.
 * {@code bench/run RecurrentBench [repeats=5] [simple|lstm]} (both cells without the second argument).
 */
public final class RecurrentBench {

    public static void main(String[] args) {
        System.out.println(HostDescription.current().line());
        int repeats = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        RnnCell[] cells = args.length > 1 ? new RnnCell[] {RnnCell.valueOf(args[1].toUpperCase())} : RnnCell.values();
        for (RnnCell cell : cells) {
            double[] none = new double[repeats];
            double[] byDefault = new double[repeats];
            double[] everyIteration = new double[repeats];
            run(cell, 1_000_000); // warm-up
            for (int r = 0; r < repeats; r++) {
                none[r] = run(cell, 1_000_000);
                byDefault[r] = run(cell, MetricsSpec.DEFAULT_RNN_EVERY);
                everyIteration[r] = run(cell, 1);
            }
            double[] costDefault = new double[repeats];
            double[] costEvery = new double[repeats];
            for (int r = 0; r < repeats; r++) {
                costDefault[r] = none[r] / byDefault[r] - 1;
                costEvery[r] = none[r] / everyIteration[r] - 1;
            }
            System.out.printf(
                    "%-6s hidden 128, T 50, batch 64: %.0f samples/s without per-step probes (median of %d)%n",
                    cell, median(none), repeats);
            System.out.printf(
                    "       measurement cost at metrics.every=%d: %+.1f%% of training time (min %+.1f%%, max %+.1f%%)%n",
                    MetricsSpec.DEFAULT_RNN_EVERY,
                    100 * median(costDefault),
                    100 * min(costDefault),
                    100 * max(costDefault));
            System.out.printf(
                    "       measurement cost at metrics.every=1:  %+.1f%% (min %+.1f%%, max %+.1f%%)%n",
                    100 * median(costEvery), 100 * min(costEvery), 100 * max(costEvery));
        }
    }

    /** @return training samples per second over the run */
    private static double run(RnnCell cell, int every) {
        ExperimentSpec spec = ExperimentSpec.builder()
                .model(ModelSpec.rnn()
                        .depth(1)
                        .width(128)
                        .cell(cell)
                        .activation(Activation.TANH)
                        .recurrentScale(1.0)
                        .build())
                .dataset(d -> d.name(DatasetName.ADDING)
                        .samples(1600)
                        .seed(1L)
                        .testFraction(0.2)
                        .sequenceLength(50))
                .training(t -> t.optimizer(Optimizer.ADAM)
                        .learningRate(1e-3)
                        .batchSize(64)
                        .epochs(3)
                        .seed(1L))
                .metrics(m -> m.every(every))
                .build()
                .withDefaults();
        long start = System.nanoTime();
        TrainingOutcome outcome = new ExperimentTrainer().train(spec, metrics -> {}, () -> false);
        double seconds = (System.nanoTime() - start) / 1e9;
        return outcome.iterations() * 64.0 / seconds;
    }
}
