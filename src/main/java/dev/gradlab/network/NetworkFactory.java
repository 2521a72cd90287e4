package dev.gradlab.network;

import dev.gradlab.spec.BatchNormPlacement;
import dev.gradlab.spec.BlockStyle;
import dev.gradlab.spec.ClippingMode;
import dev.gradlab.spec.ExperimentSpec;
import dev.gradlab.spec.GradientClipping;
import dev.gradlab.spec.ModelSpec;
import dev.gradlab.spec.RnnCell;
import dev.gradlab.spec.TrainingSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.distribution.NormalDistribution;
import org.deeplearning4j.nn.conf.distribution.UniformDistribution;
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
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Turns a spec into a DL4J {@link ComputationGraph}. Every MLP is a graph (not a MultiLayerNetwork) so that
 * plain, batch-norm and residual nets share one code path and one parameter layout.
 *
 * <p>Post-style block l: Dense → [BN] → act (or Dense → act → BN), output x + block(x) when residual.
 * Pre-style block l (He et al. 2016): [BN] → act → Dense, output x + Dense(...) when residual; a final
 * [BN] → act sits before the softmax so the last block's sum is still normalised and squashed.
 * The first block always projects the input (2-D points, or {@code dataset.features} for random) → width without
 * a skip: there is no identity between different widths.
 *
 * <p>Recurrent nets (SimpleRnn or LSTM layers, the last reading out its final step) are MultiLayerNetworks.
 *
 * <p>Initial weights: DL4J initialises the net, then {@link MatchedInit} redraws each W from a stream of its own
 * (seed, role, position, shape), so variants of one seed start from the same W wherever their layers agree.
 */
public final class NetworkFactory {

    static final String INPUT = "input";
    static final String OUTPUT = "output";
    /** DL4J's parameter key of a recurrent layer's W_rec. */
    static final String RECURRENT_WEIGHTS = "RW";
    /** Nesterov momentum coefficient for optimizer=momentum. */
    static final double MOMENTUM = 0.9;

    private NetworkFactory() {}

    /**
     * @param spec    a validated spec with defaults filled in
     * @param outputs classes of a classification task, 1 for the adding problem's regression: the spec's
     *                {@code dataset.outputs()}
     */
    public static BuiltNetwork build(ExperimentSpec spec, int outputs) {
        return spec.model().recurrent() ? buildRecurrent(spec, outputs) : buildMlp(spec, outputs);
    }

    /** MLPs train in float32. */
    private static BuiltNetwork buildMlp(ExperimentSpec spec, int classes) {
        ModelSpec m = spec.model();
        NeuralNetConfiguration.Builder base = baseConfiguration(spec, DataType.FLOAT);

        ComputationGraphConfiguration.GraphBuilder g = base.graphBuilder()
                .addInputs(INPUT)
                .setInputTypes(InputType.feedForward(spec.dataset().inputFeatures()));
        List<PlannedLayer> planned = new ArrayList<>();
        String last = m.blockStyle() == BlockStyle.PRE
                ? addPreActivationBlocks(g, m, planned)
                : addPostActivationBlocks(g, m, planned);
        g.addLayer(
                OUTPUT,
                new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .activation(Activation.SOFTMAX)
                        .nOut(classes)
                        .build(),
                last);
        planned.add(
                new PlannedLayer(OUTPUT, LayerKind.OUTPUT, null)); // DL4J keeps the output out of its activation map
        g.setOutputs(OUTPUT);

        ReleasableGraph graph = new ReleasableGraph(g.build());
        graph.init();
        graph.setUpdater(new OwnViewGraphUpdater(graph));
        BuiltNetwork built = new BuiltNetwork(graph, describe(graph.params(), graph::getLayer, planned));
        MatchedInit.apply(built, m, spec.training().seed());
        return built;
    }

    /**
     * Stacked recurrent layers; the last one reads out its final time step into the output layer. Trains in
     * float32 like the MLPs (so an explosion overflows where it would in any float32 framework); the per-step
     * input gradients are measured on a float64 twin (see {@link BuiltNetwork#inputGradient}).
     */
    private static BuiltNetwork buildRecurrent(ExperimentSpec spec, int outputs) {
        ModelSpec m = spec.model();
        int features = spec.dataset().inputFeatures();
        NeuralNetConfiguration.ListBuilder list =
                baseConfiguration(spec, DataType.FLOAT).list();
        List<PlannedLayer> planned = new ArrayList<>();
        for (int l = 1; l <= m.depth(); l++) {
            String name = "rnn" + l;
            org.deeplearning4j.nn.conf.layers.Layer cell = m.cell() == RnnCell.LSTM
                    ? new LSTM.Builder()
                            .name(name)
                            .nOut(m.width())
                            .activation(activation(m))
                            .gateActivationFunction(Activation.SIGMOID)
                            .forgetGateBiasInit(m.forgetGateBias())
                            .build()
                    : new SimpleRnn.Builder()
                            .name(name)
                            .nOut(m.width())
                            .activation(activation(m))
                            .build();
            list.layer(l == m.depth() ? new LastTimeStep(cell) : cell);
            planned.add(new PlannedLayer(name, LayerKind.RECURRENT, name, name));
        }
        boolean regression = spec.dataset().name().regression();
        list.layer(
                new OutputLayer.Builder(regression ? LossFunctions.LossFunction.MSE : LossFunctions.LossFunction.MCXENT)
                        .name(OUTPUT)
                        .activation(regression ? Activation.IDENTITY : Activation.SOFTMAX)
                        .nOut(outputs)
                        .build());
        planned.add(new PlannedLayer(OUTPUT, LayerKind.OUTPUT, null));
        list.setInputType(InputType.recurrent(features, spec.dataset().sequenceLength(), RNNFormat.NCW));

        MultiLayerNetwork stack = new MultiLayerNetwork(list.build());
        stack.init();
        stack.setUpdater(new OwnViewStackUpdater(stack));
        BuiltNetwork built = new BuiltNetwork(stack, describe(stack.params(), stack::getLayer, planned));
        MatchedInit.apply(built, m, spec.training().seed());
        initRecurrentWeights(built, m, spec.training().seed());
        return built;
    }

    /** Sets every W_rec (each gate's block, for an LSTM) to a random orthogonal matrix times recurrentScale. */
    private static void initRecurrentWeights(BuiltNetwork net, ModelSpec m, long seed) {
        SplittableRandom random = new SplittableRandom(seed ^ 0x2545F4914F6CDD1DL);
        int h = m.width();
        for (int l = 1; l <= m.depth(); l++) {
            INDArray recurrent = net.layer("rnn" + l).getParam(RECURRENT_WEIGHTS); // [h, gates·h]
            long blocks = recurrent.size(1) / h;
            for (int b = 0; b < blocks; b++) {
                double[][] q = OrthogonalInit.scaledOrthogonal(h, m.recurrentScale(), random);
                recurrent
                        .get(NDArrayIndex.all(), NDArrayIndex.interval((long) b * h, (long) (b + 1) * h))
                        .assign(Nd4j.create(q).castTo(recurrent.dataType()));
            }
        }
    }

    private static NeuralNetConfiguration.Builder baseConfiguration(ExperimentSpec spec, DataType dataType) {
        ModelSpec m = spec.model();
        TrainingSpec t = spec.training();
        NeuralNetConfiguration.Builder base = new NeuralNetConfiguration.Builder()
                .seed(t.seed())
                .dataType(dataType)
                .updater(updater(t))
                .miniBatch(true);
        switch (m.weightInit()) {
            case XAVIER -> base.weightInit(WeightInit.XAVIER);
            case HE -> base.weightInit(WeightInit.RELU);
            case NORMAL -> base.weightInit(new NormalDistribution(0, m.initScale()));
            case UNIFORM -> {
                if (m.initScale() == null) {
                    base.weightInit(WeightInit.UNIFORM);
                } else {
                    base.weightInit(new UniformDistribution(-m.initScale(), m.initScale()));
                }
            }
        }
        GradientClipping clipping = t.gradientClipping();
        if (clipping.enabled()) {
            base.gradientNormalization(normalization(clipping.mode()));
            if (clipping.threshold() != null) {
                base.gradientNormalizationThreshold(clipping.threshold());
            }
        }
        return base;
    }

    private static String addPostActivationBlocks(
            ComputationGraphConfiguration.GraphBuilder g, ModelSpec m, List<PlannedLayer> planned) {
        Activation act = activation(m);
        String prev = INPUT;
        for (int l = 1; l <= m.depth(); l++) {
            String dense = "dense" + l;
            String out;
            if (!m.batchNorm()) {
                g.addLayer(dense, denseLayer(m.width(), act), prev);
                planned.add(new PlannedLayer(dense, LayerKind.DENSE, dense, dense));
                out = dense;
            } else if (m.batchNormPlacement() == BatchNormPlacement.BEFORE_ACTIVATION) {
                g.addLayer(dense, denseLayer(m.width(), Activation.IDENTITY), prev);
                g.addLayer("bn" + l, new BatchNormalization.Builder().build(), dense);
                g.addLayer(
                        "act" + l, new ActivationLayer.Builder().activation(act).build(), "bn" + l);
                planned.add(new PlannedLayer(dense, LayerKind.DENSE, "act" + l, "act" + l));
                planned.add(new PlannedLayer("bn" + l, LayerKind.BATCH_NORM, "bn" + l));
                out = "act" + l;
            } else {
                g.addLayer(dense, denseLayer(m.width(), act), prev);
                g.addLayer("bn" + l, new BatchNormalization.Builder().build(), dense);
                planned.add(new PlannedLayer(dense, LayerKind.DENSE, dense, dense));
                planned.add(new PlannedLayer("bn" + l, LayerKind.BATCH_NORM, "bn" + l));
                out = "bn" + l;
            }
            prev = residualSum(g, m, l, prev, out);
        }
        return prev;
    }

    private static String addPreActivationBlocks(
            ComputationGraphConfiguration.GraphBuilder g, ModelSpec m, List<PlannedLayer> planned) {
        Activation act = activation(m);
        g.addLayer("dense1", denseLayer(m.width(), Activation.IDENTITY), INPUT);
        planned.add(new PlannedLayer("dense1", LayerKind.DENSE, "dense1"));
        String prev = "dense1";
        for (int l = 2; l <= m.depth() + 1; l++) {
            String in = prev;
            if (m.batchNorm()) {
                g.addLayer("bn" + l, new BatchNormalization.Builder().build(), in);
                planned.add(new PlannedLayer("bn" + l, LayerKind.BATCH_NORM, "bn" + l));
                in = "bn" + l;
            }
            g.addLayer("act" + l, new ActivationLayer.Builder().activation(act).build(), in);
            if (l == m.depth() + 1) {
                return "act" + l; // the closing BN → act before the output layer
            }
            String dense = "dense" + l;
            g.addLayer(dense, denseLayer(m.width(), Activation.IDENTITY), "act" + l);
            planned.add(new PlannedLayer(dense, LayerKind.DENSE, dense, "act" + l));
            prev = residualSum(g, m, l, prev, dense);
        }
        throw new IllegalStateException("unreachable: the loop returns at its last block");
    }

    /** Adds x + F(x) after every block but the first; returns the block's output vertex. */
    private static String residualSum(
            ComputationGraphConfiguration.GraphBuilder g, ModelSpec m, int l, String skip, String branch) {
        if (!m.residual() || l == 1) {
            return branch;
        }
        String add = "add" + l;
        g.addVertex(add, new ElementWiseVertex(ElementWiseVertex.Op.Add), skip, branch);
        return add;
    }

    private static DenseLayer denseLayer(int width, Activation act) {
        return new DenseLayer.Builder().nOut(width).activation(act).build();
    }

    private static Activation activation(ModelSpec m) {
        return switch (m.activation()) {
            case SIGMOID -> Activation.SIGMOID;
            case TANH -> Activation.TANH;
            case RELU -> Activation.RELU;
            case LEAKYRELU -> Activation.LEAKYRELU;
            case ELU -> Activation.ELU;
            case IDENTITY -> Activation.IDENTITY;
        };
    }

    private static IUpdater updater(TrainingSpec t) {
        return switch (t.optimizer()) {
            case SGD -> new Sgd(t.learningRate());
            case MOMENTUM -> new Nesterovs(t.learningRate(), MOMENTUM);
            case ADAM -> new Adam(t.learningRate());
        };
    }

    private static GradientNormalization normalization(ClippingMode mode) {
        return switch (mode) {
            case NONE -> GradientNormalization.None;
            case CLIP_L2_PER_LAYER -> GradientNormalization.ClipL2PerLayer;
            case CLIP_ELEMENT_WISE -> GradientNormalization.ClipElementWiseAbsoluteValue;
            case RENORMALIZE_L2_PER_LAYER -> GradientNormalization.RenormalizeL2PerLayer;
        };
    }

    private record PlannedLayer(String name, LayerKind kind, String activationVertex, String nonlinearityVertex) {

        /** A layer with no hidden nonlinearity of its own (batch norm, output, a pre-style block's input projection). */
        PlannedLayer(String name, LayerKind kind, String activationVertex) {
            this(name, kind, activationVertex, null);
        }
    }

    /** Reads each layer's place in the flat parameter vector from the views DL4J hands out. */
    private static List<LayerDescriptor> describe(
            INDArray params, Function<String, Layer> layerNamed, List<PlannedLayer> planned) {
        long base = params.offset();
        List<LayerDescriptor> out = new ArrayList<>(planned.size());
        for (PlannedLayer p : planned) {
            Layer layer = layerNamed.apply(p.name());
            List<ParameterSlice> slices = new ArrayList<>();
            for (Map.Entry<String, INDArray> e : layer.paramTable().entrySet()) {
                slices.add(new ParameterSlice(
                        e.getKey(),
                        e.getValue().offset() - base,
                        e.getValue().length(),
                        layer.updaterDivideByMinibatch(e.getKey())));
            }
            String weightKey = p.kind() == LayerKind.BATCH_NORM ? "gamma" : "W";
            String biasKey = p.kind() == LayerKind.BATCH_NORM ? "beta" : "b";
            ParameterSlice recurrent = p.kind() == LayerKind.RECURRENT ? find(slices, RECURRENT_WEIGHTS) : null;
            out.add(new LayerDescriptor(
                    out.size(),
                    p.name(),
                    p.kind(),
                    find(slices, weightKey),
                    find(slices, biasKey),
                    recurrent,
                    List.copyOf(slices),
                    p.activationVertex(),
                    p.nonlinearityVertex()));
        }
        return List.copyOf(out);
    }

    private static ParameterSlice find(List<ParameterSlice> slices, String key) {
        return slices.stream()
                .filter(s -> s.key().equals(key))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("layer has no parameter " + key));
    }
}
