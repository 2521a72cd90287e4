package dev.gradlab.bench;

import dev.gradlab.dataset.DatasetFactory;
import dev.gradlab.dataset.Samples;
import dev.gradlab.spec.ExperimentSpec;
import dev.gradlab.spec.ModelSpec;
import dev.gradlab.spec.RnnCell;
import dev.gradlab.spec.TrainingSpec;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The floor of DL4J itself: the network a DL4J user would write by hand for a benchmark spec (a
 * MultiLayerNetwork, or a ComputationGraph where residual connections need one), fitted on minibatches built once
 * before timing. No GradLab code runs inside {@link #run}: no listener, no statistics, no evaluation.
 */
public final class BareDl4jLoop {

    /**
     * DL4J's own settings a user may change: the cache mode (an LSTM keeps its training forward pass for backprop
     * instead of computing it again) and the workspace modes of training and inference.
     */
    public record Settings(CacheMode cacheMode, WorkspaceMode training, WorkspaceMode inference) {
        /** DL4J's defaults, as a user who sets nothing gets them. */
        public static final Settings DEFAULTS =
                new Settings(CacheMode.NONE, WorkspaceMode.ENABLED, WorkspaceMode.ENABLED);
    }

    private final Model network;
    private final Samples train;
    private final List<DataSet> batches = new ArrayList<>();
    private final int trainSize;

    public BareDl4jLoop(ExperimentSpec spec) {
        this(spec, Settings.DEFAULTS);
    }

    public BareDl4jLoop(ExperimentSpec spec, Settings settings) {
        train = DatasetFactory.generate(spec.dataset()).train();
        trainSize = train.size();
        network = spec.model().recurrent() ? recurrent(spec, train, settings) : mlp(spec, train, settings);
        batches.addAll(minibatches(train, spec.training().batchSize()));
        run(1); // warm-up: JIT, nd4j's first calls, workspace sizing
    }

    public int trainSize() {
        return trainSize;
    }

    /** Trains {@code epochs} passes over the prepared minibatches. */
    public Measurement run(int epochs) {
        Measurement.Clock clock = Measurement.start();
        for (int e = 0; e < epochs; e++) {
            for (DataSet batch : batches) {
                if (network instanceof ComputationGraph graph) {
                    graph.fit(batch);
                } else {
                    ((MultiLayerNetwork) network).fit(batch);
                }
            }
        }
        return clock.stop((long) epochs * trainSize);
    }

    /** Forward passes (inference) over the whole training split in chunks of {@code chunk}, {@code passes} times. */
    public Measurement infer(int passes, int chunk) {
        List<DataSet> chunks = minibatches(train, chunk);
        Measurement.Clock clock = Measurement.start();
        for (int p = 0; p < passes; p++) {
            for (DataSet c : chunks) {
                INDArray out = network instanceof ComputationGraph graph
                        ? graph.outputSingle(false, c.getFeatures())
                        : ((MultiLayerNetwork) network).output(c.getFeatures(), false);
                if (out.closeable()) {
                    out.close();
                }
            }
        }
        return clock.stop((long) passes * trainSize);
    }

    private static Model mlp(ExperimentSpec spec, Samples train, Settings settings) {
        ModelSpec m = spec.model();
        Activation act = Activation.valueOf(m.activation().name());
        NeuralNetConfiguration.Builder base = base(spec, settings);
        if (m.residual() && m.batchNorm()) {
            // He et al.'s pre-activation unit: x + Dense(act(BN(x))), as GradLab builds it for this spec.
            var g = base.graphBuilder()
                    .addInputs("in")
                    .setInputTypes(InputType.feedForward(train.featureCount()))
                    .addLayer(
                            "d1",
                            new DenseLayer.Builder()
                                    .nOut(m.width())
                                    .activation(Activation.IDENTITY)
                                    .build(),
                            "in");
            String prev = "d1";
            for (int l = 2; l <= m.depth(); l++) {
                g.addLayer("bn" + l, batchNorm(), prev)
                        .addLayer(
                                "a" + l,
                                new ActivationLayer.Builder().activation(act).build(),
                                "bn" + l)
                        .addLayer(
                                "d" + l,
                                new DenseLayer.Builder()
                                        .nOut(m.width())
                                        .activation(Activation.IDENTITY)
                                        .build(),
                                "a" + l)
                        .addVertex("add" + l, new ElementWiseVertex(ElementWiseVertex.Op.Add), prev, "d" + l);
                prev = "add" + l;
            }
            g.addLayer("bnLast", batchNorm(), prev)
                    .addLayer(
                            "aLast",
                            new ActivationLayer.Builder().activation(act).build(),
                            "bnLast")
                    .addLayer(
                            "out",
                            new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                                    .activation(Activation.SOFTMAX)
                                    .nOut(train.outputs())
                                    .build(),
                            "aLast")
                    .setOutputs("out");
            ComputationGraph graph = new ComputationGraph(g.build());
            graph.init();
            return graph;
        }
        if (m.residual() || m.batchNorm()) {
            throw new IllegalArgumentException("the bare loop mirrors plain and pre-activation residual+BN MLPs only");
        }
        var list = base.list();
        for (int l = 1; l <= m.depth(); l++) {
            list.layer(new DenseLayer.Builder().nOut(m.width()).activation(act).build());
        }
        list.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                .activation(Activation.SOFTMAX)
                .nOut(train.outputs())
                .build());
        list.setInputType(InputType.feedForward(train.featureCount()));
        MultiLayerNetwork net = new MultiLayerNetwork(list.build());
        net.init();
        return net;
    }

    /** -Dbench.bn.useLogStd=false: DL4J's older parameterisation (variance, not log10 std) for comparison. */
    private static BatchNormalization batchNorm() {
        return new BatchNormalization.Builder()
                .useLogStd(Boolean.parseBoolean(System.getProperty("bench.bn.useLogStd", "true")))
                .build();
    }

    private static Model recurrent(ExperimentSpec spec, Samples train, Settings settings) {
        ModelSpec m = spec.model();
        var list = base(spec, settings).list();
        for (int l = 1; l <= m.depth(); l++) {
            var cell = m.cell() == RnnCell.LSTM
                    ? new LSTM.Builder()
                            .nOut(m.width())
                            .activation(Activation.TANH)
                            .build()
                    : new SimpleRnn.Builder()
                            .nOut(m.width())
                            .activation(Activation.TANH)
                            .build();
            list.layer(l == m.depth() ? new LastTimeStep(cell) : cell);
        }
        list.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE)
                .activation(Activation.IDENTITY)
                .nOut(train.outputs())
                .build());
        list.setInputType(InputType.recurrent(train.featureCount(), train.timeSteps(), RNNFormat.NCW));
        MultiLayerNetwork net = new MultiLayerNetwork(list.build());
        net.init();
        return net;
    }

    private static NeuralNetConfiguration.Builder base(ExperimentSpec spec, Settings settings) {
        TrainingSpec t = spec.training();
        IUpdater updater = switch (t.optimizer()) {
            case ADAM -> new Adam(t.learningRate());
            case SGD -> new Sgd(t.learningRate());
            default -> throw new IllegalArgumentException("benchmarks use sgd or adam");
        };
        return new NeuralNetConfiguration.Builder()
                .seed(t.seed())
                .dataType(DataType.FLOAT)
                .cacheMode(settings.cacheMode())
                .trainingWorkspaceMode(settings.training())
                .inferenceWorkspaceMode(settings.inference())
                .updater(updater)
                .weightInit(
                        switch (spec.model().weightInit()) {
                            case HE -> WeightInit.RELU;
                            default -> WeightInit.XAVIER;
                        });
    }

    /** The split in order, cut into minibatches of {@code size} (the last may be smaller). */
    public static List<DataSet> minibatches(Samples s, int size) {
        List<DataSet> out = new ArrayList<>();
        for (int from = 0; from < s.size(); from += size) {
            out.add(minibatch(s, from, Math.min(s.size(), from + size)));
        }
        return out;
    }

    /** Examples [from, to) in the layout DL4J expects: [b, features] or [b, features, time]; one-hot labels. */
    private static DataSet minibatch(Samples s, int from, int to) {
        int size = to - from;
        int stride = s.exampleSize();
        float[] x = new float[size * stride];
        System.arraycopy(s.features(), from * stride, x, 0, size * stride);
        float[] y = new float[size * s.outputs()];
        for (int row = 0; row < size; row++) {
            if (s.regression()) {
                y[row] = s.targets()[from + row];
            } else {
                y[row * s.outputs() + s.labels()[from + row]] = 1f;
            }
        }
        long[] shape = s.sequence() ? new long[] {size, s.featureCount(), s.timeSteps()} : new long[] {size, stride};
        return new DataSet(
                Nd4j.create(x, shape, DataType.FLOAT), Nd4j.create(y, new long[] {size, s.outputs()}, DataType.FLOAT));
    }
}
