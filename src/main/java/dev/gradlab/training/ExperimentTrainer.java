package dev.gradlab.training;

import dev.gradlab.dataset.DatasetLoader;
import dev.gradlab.dataset.Samples;
import dev.gradlab.dataset.SplitDataset;
import dev.gradlab.network.BuiltNetwork;
import dev.gradlab.network.LayerDescriptor;
import dev.gradlab.network.NetworkFactory;
import dev.gradlab.spec.ExperimentSpec;
import java.util.Arrays;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.MemoryWorkspaceManager;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Trains one spec to the end, to divergence, or until cancelled, reporting every iteration to a
 * {@link TrainingObserver}. Deterministic: the data come from {@code dataset.seed}, the weights and the
 * minibatch order from {@code training.seed}, and nd4j runs single-threaded per training thread.
 */
@Component
public final class ExperimentTrainer {

    /** Hochreiter & Schmidhuber count an adding-problem answer correct when it is within 0.04 of the sum. */
    static final double REGRESSION_TOLERANCE = 0.04;

    private final DatasetLoader datasets;

    /** With the default dataset cache ({@code ./data/datasets}): for code that runs without Spring. */
    public ExperimentTrainer() {
        this(DatasetLoader.withDefaults());
    }

    @Autowired
    public ExperimentTrainer(DatasetLoader datasets) {
        this.datasets = datasets;
    }

    /**
     * @param spec      a validated spec with defaults filled in
     * @param cancelled polled once per iteration; true stops the run after the current iteration
     */
    public TrainingOutcome train(ExperimentSpec spec, TrainingObserver observer, BooleanSupplier cancelled) {
        long start = System.nanoTime();
        SplitDataset data = datasets.load(spec.dataset());
        try (BuiltNetwork network = NetworkFactory.build(spec, spec.dataset().outputs())) {
            return run(spec, network, data, observer, cancelled, start, Parts.ALL);
        } finally {
            // Workspaces are per thread and outlive the model; drop them so a pooled thread doesn't keep
            // the largest model's buffers forever. One by one: destroyAllWorkspacesForCurrentThread() ends with
            // System.gc(), a full collection that would pause every job on the instance (docs/PERFORMANCE.md).
            MemoryWorkspaceManager workspaces = Nd4j.getWorkspaceManager();
            for (MemoryWorkspace workspace : List.copyOf(workspaces.getAllWorkspacesForCurrentThread())) {
                workspaces.destroyWorkspace(workspace);
            }
        }
    }

    /**
     * What a run does besides DL4J's fit, each of which a job always does ({@link #ALL}). A seam for
     * CoreBreakdownBench (bench/java), which switches parts off to attribute the time they cost; switching one off
     * changes no value the others produce.
     *
     * @param statistics          the listener, the probes and the gradient ratio (off: the loss is DL4J's score)
     * @param evaluation          accuracy on both splits at the end of epochs (off: no onEpoch)
     * @param preparedMinibatches null: shuffle and build each epoch's minibatches (jobs); else these, every epoch
     * @param handOff             the observer's onIteration call
     */
    record Parts(boolean statistics, boolean evaluation, List<DataSet> preparedMinibatches, boolean handOff) {
        static final Parts ALL = new Parts(true, true, null, true);
    }

    /** The training loop on a built network and loaded data; {@link #train} adds their set-up and tear-down. */
    TrainingOutcome run(
            ExperimentSpec spec,
            BuiltNetwork network,
            SplitDataset data,
            TrainingObserver observer,
            BooleanSupplier cancelled,
            long start,
            Parts parts) {
        Samples train = data.train();
        DataType type = network.dataType();
        int batchSize = Math.min(spec.training().batchSize(), train.size());
        int every = spec.metrics().every();
        long total = spec.totalIterations();
        GradientNormListener listener = null;
        TimestepGradientProbe probe = null;
        ActivationProbe activationProbe = null;
        GradientRatioTracker ratio = null;
        if (parts.statistics()) {
            listener = new GradientNormListener(network, spec.training().gradientClipping());
            network.setListeners(listener);
            probe = network.recurrent() ? probe(train, type) : null;
            activationProbe = new ActivationProbe(
                    probeBatch(train, type).getFeatures(),
                    spec.model().activation(),
                    spec.model().cell());
            ratio = GradientRatioTracker.forNetwork(network.layers(), network.recurrent(), train.timeSteps());
        }
        int probeEvery = ActivationProbe.every(every);
        observer.onStart(
                new TrainingPlan(layerInfos(network.layers()), total, spec.iterationsPerEpoch(), network.numParams()));

        MinibatchOrder shuffle = new MinibatchOrder(spec.training().seed(), train.size());
        long iteration = 0;
        double lastLoss = Double.NaN;
        EpochMetrics lastEpoch = null;
        int epochsDone = 0;
        for (int epoch = 1; epoch <= spec.training().epochs(); epoch++) {
            int[] order = parts.preparedMinibatches() == null ? shuffle.nextEpoch() : null;
            for (int from = 0; from < train.size(); from += batchSize) {
                if (cancelled.getAsBoolean()) {
                    return outcome(
                            TrainingStatus.CANCELLED, iteration, epochsDone, lastEpoch, lastLoss, null, ratio, start);
                }
                int size = Math.min(batchSize, train.size() - from);
                iteration++;
                DataSet batch = order != null
                        ? minibatch(train, order, from, from + size, type)
                        : parts.preparedMinibatches().get(from / batchSize);
                if (listener == null) {
                    network.fit(batch);
                    lastLoss = network.model().score();
                    if (parts.handOff()) {
                        observer.onIteration(new IterationMetrics(iteration, epoch, lastLoss, List.of(), null));
                    }
                    continue;
                }
                boolean record = (iteration - 1) % every == 0 || iteration == total;
                double[] timesteps = record && probe != null ? probe.measure(network) : null;
                // Like the per-step gradients, with the parameters this iteration starts from.
                ActivationProbe.Measurements fractions =
                        record && ((iteration - 1) % probeEvery == 0 || iteration == total)
                                ? activationProbe.measure(network)
                                : null;
                listener.beginIteration(iteration, size, record);
                network.fit(batch);
                lastLoss = listener.loss();
                List<LayerStatistics> statistics = listener.statistics(fractions);
                if (ratio != null) {
                    ratio.record(iteration, statistics, timesteps);
                }
                if (parts.handOff()) {
                    observer.onIteration(new IterationMetrics(iteration, epoch, lastLoss, statistics, timesteps));
                }
                Divergence divergence = listener.divergence();
                if (divergence != null) {
                    if (divergence.layerIndex() == null) {
                        divergence = listener.locateNonFiniteParameters(divergence);
                    }
                    return outcome(
                            TrainingStatus.DIVERGED,
                            iteration,
                            epochsDone,
                            lastEpoch,
                            lastLoss,
                            divergence,
                            ratio,
                            start);
                }
            }
            epochsDone = epoch;
            boolean last = epoch == spec.training().epochs();
            if (parts.evaluation() && (last || epoch % spec.training().evaluateEvery() == 0)) {
                int cap = last ? Integer.MAX_VALUE : spec.training().evaluationSamples();
                lastEpoch = new EpochMetrics(
                        epoch,
                        iteration,
                        accuracy(network, train, cap),
                        accuracy(network, data.test(), cap),
                        elapsedMillis(start));
                observer.onEpoch(lastEpoch);
            }
        }
        return outcome(TrainingStatus.COMPLETED, iteration, epochsDone, lastEpoch, lastLoss, null, ratio, start);
    }

    private static List<LayerInfo> layerInfos(List<LayerDescriptor> layers) {
        return layers.stream()
                .map(l -> new LayerInfo(l.index(), l.name(), l.kind().label()))
                .toList();
    }

    /** The recurrent probe, on {@link #probeBatch}. */
    private static TimestepGradientProbe probe(Samples train, DataType type) {
        DataSet batch = probeBatch(train, type);
        return new TimestepGradientProbe(batch.getFeatures(), batch.getLabels());
    }

    /** The first examples of the training split: fixed by the dataset spec alone, so runs compare. */
    private static DataSet probeBatch(Samples train, DataType type) {
        int n = Math.min(TimestepGradientProbe.PROBE_SIZE, train.size());
        int[] first = new int[n];
        Arrays.setAll(first, i -> i);
        return minibatch(train, first, 0, n, type);
    }

    /** Examples {@code order[from..to)} as ND4J arrays: [b, features] or [b, features, time]; one-hot or targets. */
    static DataSet minibatch(Samples s, int[] order, int from, int to, DataType type) {
        int size = to - from;
        int stride = s.exampleSize();
        float[] x = new float[size * stride];
        float[] y = new float[size * s.outputs()];
        for (int row = 0; row < size; row++) {
            int example = order[from + row];
            System.arraycopy(s.features(), example * stride, x, row * stride, stride);
            if (s.regression()) {
                y[row] = s.targets()[example];
            } else {
                y[row * s.outputs() + s.labels()[example]] = 1f;
            }
        }
        long[] shape = s.sequence() ? new long[] {size, s.featureCount(), s.timeSteps()} : new long[] {size, stride};
        return new DataSet(
                Nd4j.create(x, shape, DataType.FLOAT).castTo(type),
                Nd4j.create(y, new long[] {size, s.outputs()}, DataType.FLOAT).castTo(type));
    }

    /** Examples per forward pass when scoring a whole split: bounds activation memory for big splits. */
    static final int EVALUATION_CHUNK = 1024;

    /**
     * Classification: fraction whose most probable class is the label. Regression (adding): fraction within
     * {@link #REGRESSION_TOLERANCE} of the target. In inference mode (batch norm's running statistics), a chunk
     * of {@link #EVALUATION_CHUNK} examples at a time, on at most {@code cap} examples ({@link #evaluated}).
     */
    static double accuracy(BuiltNetwork network, Samples s, int cap) {
        int[] examples = evaluated(s.size(), cap);
        int correct = 0;
        for (int from = 0; from < examples.length; from += EVALUATION_CHUNK) {
            int to = Math.min(examples.length, from + EVALUATION_CHUNK);
            INDArray output = network.output(
                    minibatch(s, examples, from, to, network.dataType()).getFeatures());
            if (s.regression()) {
                double[] predicted =
                        output.castTo(DataType.DOUBLE).reshape(to - from).toDoubleVector();
                for (int i = 0; i < predicted.length; i++) {
                    if (Math.abs(predicted[i] - s.targets()[examples[from + i]]) < REGRESSION_TOLERANCE) {
                        correct++;
                    }
                }
            } else {
                int[] predicted = output.argMax(1).toIntVector();
                for (int i = 0; i < predicted.length; i++) {
                    if (predicted[i] == s.labels()[examples[from + i]]) {
                        correct++;
                    }
                }
            }
        }
        return (double) correct / examples.length;
    }

    /**
     * The examples an evaluation scores: all of them, or {@code cap} evenly spaced ones (example ⌊k·size/cap⌋ for
     * k = 0..cap−1), the same every time, so an accuracy curve's points differ by training alone, and spread over
     * the whole split whatever order a dataset's examples come in.
     */
    static int[] evaluated(int size, int cap) {
        int n = Math.min(size, cap);
        int[] examples = new int[n];
        Arrays.setAll(examples, k -> (int) ((long) k * size / n));
        return examples;
    }

    private static TrainingOutcome outcome(
            TrainingStatus status,
            long iterations,
            int epochs,
            EpochMetrics lastEpoch,
            double lastLoss,
            Divergence divergence,
            GradientRatioTracker ratio,
            long start) {
        return new TrainingOutcome(
                status,
                iterations,
                epochs,
                iterations == 0 ? null : lastLoss,
                lastEpoch == null ? null : lastEpoch.trainAccuracy(),
                lastEpoch == null ? null : lastEpoch.testAccuracy(),
                divergence,
                ratio == null ? null : ratio.result(),
                elapsedMillis(start));
    }

    private static long elapsedMillis(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }
}
