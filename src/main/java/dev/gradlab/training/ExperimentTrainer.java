package dev.gradlab.training;

import dev.gradlab.dataset.DatasetFactory;
import dev.gradlab.dataset.Permutations;
import dev.gradlab.dataset.Samples;
import dev.gradlab.dataset.SplitDataset;
import dev.gradlab.network.BuiltNetwork;
import dev.gradlab.network.LayerDescriptor;
import dev.gradlab.network.NetworkFactory;
import dev.gradlab.spec.ExperimentSpec;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Trains one spec to the end, to divergence, or until cancelled, reporting every iteration to a
 * {@link TrainingObserver}. Deterministic: the data come from {@code dataset.seed}, the weights and the
 * minibatch order from {@code training.seed}, and nd4j runs single-threaded per training thread.
 */
public final class ExperimentTrainer {

    /** Offsets the shuffling stream from the weight-init seed so the two never share a sequence. */
    private static final long SHUFFLE_SEED_SALT = 0x5DEECE66DL;

    /**
     * @param spec      a validated spec with defaults filled in
     * @param cancelled polled once per iteration; true stops the run after the current iteration
     */
    public TrainingOutcome train(ExperimentSpec spec, TrainingObserver observer, BooleanSupplier cancelled) {
        long start = System.nanoTime();
        SplitDataset data = DatasetFactory.generate(spec.dataset());
        Samples train = data.train();
        BuiltNetwork built = NetworkFactory.build(spec, train.classes());
        ComputationGraph graph = built.graph();
        try {
            return run(spec, built, data, observer, cancelled, start);
        } finally {
            graph.close();
            // Workspaces are per thread and outlive the model; drop them so a pooled thread doesn't keep
            // the largest model's buffers forever.
            Nd4j.getWorkspaceManager().destroyAllWorkspacesForCurrentThread();
        }
    }

    private TrainingOutcome run(ExperimentSpec spec, BuiltNetwork built, SplitDataset data,
                                TrainingObserver observer, BooleanSupplier cancelled, long start) {
        ComputationGraph graph = built.graph();
        Samples train = data.train();
        int batchSize = Math.min(spec.training().batchSize(), train.size());
        int every = spec.metrics().every();
        long total = spec.totalIterations();
        GradientNormListener listener = new GradientNormListener(built.layers(), spec.training().gradientClipping());
        graph.setListeners(listener);
        observer.onStart(new TrainingPlan(layerInfos(built.layers()), total, spec.iterationsPerEpoch(),
                graph.numParams()));

        SplittableRandom shuffle = new SplittableRandom(spec.training().seed() ^ SHUFFLE_SEED_SALT);
        float[] batchFeatures = new float[batchSize * train.featureCount()];
        float[] batchLabels = new float[batchSize * train.classes()];
        long iteration = 0;
        double lastLoss = Double.NaN;
        EpochMetrics lastEpoch = null;
        for (int epoch = 1; epoch <= spec.training().epochs(); epoch++) {
            int[] order = Permutations.shuffled(train.size(), shuffle);
            for (int from = 0; from < train.size(); from += batchSize) {
                if (cancelled.getAsBoolean()) {
                    return outcome(TrainingStatus.CANCELLED, iteration, lastEpoch, lastLoss, null, start);
                }
                int size = Math.min(batchSize, train.size() - from);
                iteration++;
                boolean record = (iteration - 1) % every == 0 || iteration == total;
                listener.beginIteration(iteration, size, record);
                graph.fit(minibatch(train, order, from, size, batchFeatures, batchLabels));
                lastLoss = listener.loss();
                observer.onIteration(new IterationMetrics(iteration, epoch, lastLoss, listener.statistics()));
                Divergence divergence = listener.divergence();
                if (divergence != null) {
                    if (divergence.layerIndex() == null) {
                        divergence = listener.locateNonFiniteParameters(graph, divergence);
                    }
                    return outcome(TrainingStatus.DIVERGED, iteration, lastEpoch, lastLoss, divergence, start);
                }
            }
            lastEpoch = new EpochMetrics(epoch, iteration, accuracy(graph, train), accuracy(graph, data.test()),
                    elapsedMillis(start));
            observer.onEpoch(lastEpoch);
        }
        return outcome(TrainingStatus.COMPLETED, iteration, lastEpoch, lastLoss, null, start);
    }

    private static List<LayerInfo> layerInfos(List<LayerDescriptor> layers) {
        return layers.stream()
                .map(l -> new LayerInfo(l.index(), l.name(), l.kind().label()))
                .toList();
    }

    private static DataSet minibatch(Samples s, int[] order, int from, int size, float[] features, float[] labels) {
        int f = s.featureCount();
        int k = s.classes();
        float[] x = size * f == features.length ? features : new float[size * f];
        float[] y = size * k == labels.length ? labels : new float[size * k];
        Arrays.fill(y, 0f);
        for (int row = 0; row < size; row++) {
            int example = order[from + row];
            System.arraycopy(s.features(), example * f, x, row * f, f);
            y[row * k + s.labels()[example]] = 1f;
        }
        return new DataSet(Nd4j.create(x, new long[] {size, f}, DataType.FLOAT),
                Nd4j.create(y, new long[] {size, k}, DataType.FLOAT));
    }

    /** Fraction of examples whose most probable class is the label, in inference mode (BN's running stats). */
    static double accuracy(ComputationGraph graph, Samples s) {
        INDArray x = Nd4j.create(s.features(), new long[] {s.size(), s.featureCount()}, DataType.FLOAT);
        int[] predicted = graph.outputSingle(false, x).argMax(1).toIntVector();
        int correct = 0;
        for (int i = 0; i < predicted.length; i++) {
            if (predicted[i] == s.labels()[i]) {
                correct++;
            }
        }
        return (double) correct / s.size();
    }

    private static TrainingOutcome outcome(TrainingStatus status, long iterations, EpochMetrics lastEpoch,
                                           double lastLoss, Divergence divergence, long start) {
        return new TrainingOutcome(status, iterations, lastEpoch == null ? 0 : lastEpoch.epoch(),
                iterations == 0 ? null : lastLoss,
                lastEpoch == null ? null : lastEpoch.trainAccuracy(),
                lastEpoch == null ? null : lastEpoch.testAccuracy(),
                divergence, elapsedMillis(start));
    }

    private static long elapsedMillis(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }
}
