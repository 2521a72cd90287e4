package dev.gradlab.network;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gradlab.spec.Activation;
import dev.gradlab.spec.BatchNormPlacement;
import dev.gradlab.spec.BlockStyle;
import dev.gradlab.spec.DatasetName;
import dev.gradlab.spec.DatasetSpec;
import dev.gradlab.spec.ExperimentSpec;
import dev.gradlab.spec.ModelSpec;
import dev.gradlab.spec.Optimizer;
import dev.gradlab.spec.ParameterBudget;
import dev.gradlab.spec.WeightInit;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class NetworkFactoryTest {

    static Stream<Arguments> variants() {
        return Stream.of(
                Arguments.of(false, false, BlockStyle.POST, BatchNormPlacement.BEFORE_ACTIVATION),
                Arguments.of(false, true, BlockStyle.POST, BatchNormPlacement.BEFORE_ACTIVATION),
                Arguments.of(false, true, BlockStyle.POST, BatchNormPlacement.AFTER_ACTIVATION),
                Arguments.of(true, false, BlockStyle.POST, BatchNormPlacement.BEFORE_ACTIVATION),
                Arguments.of(true, true, BlockStyle.POST, BatchNormPlacement.BEFORE_ACTIVATION),
                Arguments.of(true, false, BlockStyle.PRE, BatchNormPlacement.BEFORE_ACTIVATION),
                Arguments.of(true, true, BlockStyle.PRE, BatchNormPlacement.BEFORE_ACTIVATION),
                Arguments.of(false, true, BlockStyle.PRE, BatchNormPlacement.BEFORE_ACTIVATION));
    }

    private static ExperimentSpec spec(boolean residual, boolean bn, BlockStyle style, BatchNormPlacement placement) {
        return ExperimentSpec.builder()
                .model(model(residual, bn, style, placement))
                .build()
                .withDefaults();
    }

    private static ModelSpec model(boolean residual, boolean bn, BlockStyle style, BatchNormPlacement placement) {
        return ModelSpec.mlp()
                .depth(4)
                .width(6)
                .residual(residual)
                .batchNorm(bn)
                .blockStyle(style)
                .batchNormPlacement(placement)
                .build();
    }

    /** Every block variant on 2-D points and on random data's 784 inputs. */
    static Stream<Arguments> budgetCases() {
        return variants()
                .flatMap(v -> Stream.of(
                        Arguments.of(append(v.get(), (DatasetSpec) null)),
                        Arguments.of(append(
                                v.get(),
                                DatasetSpec.builder()
                                        .name(DatasetName.RANDOM)
                                        .samples(100)
                                        .features(784)
                                        .classes(3)
                                        .build()))));
    }

    private static Object[] append(Object[] values, DatasetSpec dataset) {
        Object[] out = java.util.Arrays.copyOf(values, values.length + 1);
        out[values.length] = dataset;
        return out;
    }

    @ParameterizedTest
    @MethodSource("budgetCases")
    void parameterBudgetCountsWhatIsBuilt(
            boolean residual, boolean bn, BlockStyle style, BatchNormPlacement placement, DatasetSpec dataset) {
        ExperimentSpec spec = ExperimentSpec.builder()
                .model(model(residual, bn, style, placement))
                .dataset(dataset)
                .build()
                .withDefaults();
        BuiltNetwork built = NetworkFactory.build(spec, spec.dataset().outputs());
        assertThat(built.graph().numParams()).isEqualTo(ParameterBudget.parameterCount(spec));
        assertThat(built.layers().stream().filter(l -> l.kind() == LayerKind.DENSE))
                .hasSize(4);
        assertThat(built.layers().stream().filter(l -> l.kind() == LayerKind.BATCH_NORM))
                .hasSize(bn ? 4 : 0);
        assertThat(built.layers().get(built.layers().size() - 1).kind()).isEqualTo(LayerKind.OUTPUT);
        assertThat(built.graph().getLayer("dense1").getParam("W").shape())
                .containsExactly(spec.dataset().inputFeatures(), 6);
        built.graph().close();
    }

    @Test
    void computeBoundBenchmarkOnRandomDataHasTheBudgetedParameters() {
        // M3: 784 → 8 × 512 ReLU → 10.
        ExperimentSpec spec = ExperimentSpec.builder()
                .model(m -> m.depth(8).width(512).activation(Activation.RELU).weightInit(WeightInit.HE))
                .dataset(d ->
                        d.name(DatasetName.RANDOM).samples(5120).features(784).classes(10))
                .training(t -> t.optimizer(Optimizer.SGD)
                        .learningRate(0.01)
                        .batchSize(256)
                        .epochs(4))
                .build()
                .withDefaults();
        BuiltNetwork built = NetworkFactory.build(spec, 10);
        assertThat(built.graph().numParams()).isEqualTo(2_245_642L).isEqualTo(ParameterBudget.parameterCount(spec));
        assertThat(built.graph().getLayer("dense1").getParam("W").shape()).containsExactly(784L, 512L);
        assertThat(built.graph().getLayer("output").getParam("W").shape()).containsExactly(512L, 10L);
        // The input width reaches the graph: a batch of 784-wide rows goes through.
        INDArray out = built.graph().outputSingle(Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 3, 784));
        assertThat(out.shape()).containsExactly(3L, 10L);
        built.graph().close();
    }

    @ParameterizedTest
    @MethodSource("variants")
    void slicesPointAtDl4jsOwnParameterViews(
            boolean residual, boolean bn, BlockStyle style, BatchNormPlacement placement) {
        BuiltNetwork built = NetworkFactory.build(spec(residual, bn, style, placement), 3);
        ComputationGraph graph = built.graph();
        float[] flat = graph.params().toFloatVector();
        for (LayerDescriptor layer : built.layers()) {
            Map<String, INDArray> views = graph.getLayer(layer.name()).paramTable();
            assertThat(layer.slices()).hasSize(views.size());
            for (ParameterSlice s : layer.slices()) {
                // DL4J stores weight matrices in Fortran order inside the flat vector.
                INDArray view = views.get(s.key());
                float[] expected = Nd4j.toFlattened(view.ordering(), view).toFloatVector();
                float[] actual = new float[(int) s.length()];
                System.arraycopy(flat, (int) s.offset(), actual, 0, actual.length);
                assertThat(actual).as(layer.name() + "_" + s.key()).containsExactly(expected);
            }
        }
        graph.close();
    }

    @Test
    void layersAreNumberedInputToOutputWithStableNames() {
        BuiltNetwork plain =
                NetworkFactory.build(spec(false, true, BlockStyle.POST, BatchNormPlacement.BEFORE_ACTIVATION), 2);
        assertThat(plain.layers())
                .extracting(LayerDescriptor::name)
                .containsExactly("dense1", "bn1", "dense2", "bn2", "dense3", "bn3", "dense4", "bn4", "output");
        assertThat(plain.layers()).extracting(LayerDescriptor::index).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8);
        // Dense → BN → σ: a dense layer's activations are read after its block's nonlinearity.
        assertThat(plain.layers().get(0).activationVertex()).isEqualTo("act1");

        BuiltNetwork pre =
                NetworkFactory.build(spec(true, true, BlockStyle.PRE, BatchNormPlacement.BEFORE_ACTIVATION), 2);
        assertThat(pre.layers())
                .extracting(LayerDescriptor::name)
                .containsExactly("dense1", "bn2", "dense2", "bn3", "dense3", "bn4", "dense4", "bn5", "output");
        assertThat(pre.graph().getConfiguration().getVertexInputs().get("add3")).containsExactly("add2", "dense3");
        assertThat(pre.graph().getConfiguration().getVertexInputs().get("add2")).containsExactly("dense1", "dense2");
        plain.graph().close();
        pre.graph().close();
    }

    @Test
    void firstBlockHasNoSkipAndLaterBlocksAddTheIdentity() {
        BuiltNetwork res =
                NetworkFactory.build(spec(true, false, BlockStyle.POST, BatchNormPlacement.BEFORE_ACTIVATION), 2);
        Map<String, List<String>> inputs = res.graph().getConfiguration().getVertexInputs();
        assertThat(inputs).doesNotContainKey("add1");
        assertThat(inputs.get("add2")).containsExactly("dense1", "dense2");
        assertThat(inputs.get("dense3")).containsExactly("add2");
        assertThat(inputs.get("output")).containsExactly("add4");
        res.graph().close();
    }

    @Test
    void sameSeedSameInitialWeights() {
        ExperimentSpec spec = spec(true, true, BlockStyle.PRE, BatchNormPlacement.BEFORE_ACTIVATION);
        ComputationGraph a = NetworkFactory.build(spec, 2).graph();
        ComputationGraph b = NetworkFactory.build(spec, 2).graph();
        assertThat(a.params().toFloatVector()).containsExactly(b.params().toFloatVector());
        a.close();
        b.close();
    }
}
