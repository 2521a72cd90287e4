package dev.gradlab.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.gradlab.spec.DatasetName;
import dev.gradlab.spec.ExperimentSpec;
import dev.gradlab.spec.ModelSpec;
import dev.gradlab.spec.RnnCell;
import dev.gradlab.spec.WeightInit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class MatchedInitTest {

    private static ExperimentSpec mlp(Consumer<ModelSpec.Builder> model, long seed) {
        return ExperimentSpec.builder()
                .model(m -> {
                    m.depth(5).width(16);
                    model.accept(m);
                })
                .training(t -> t.seed(seed))
                .build()
                .withDefaults();
    }

    private static float[] w(BuiltNetwork net, String layer) {
        return net.layer(layer).getParam("W").dup().data().asFloat();
    }

    @Test
    void plainBatchNormResidualAndBothStartFromTheSameDenseAndOutputWeights() {
        try (BuiltNetwork plain = NetworkFactory.build(mlp(m -> {}, 7), 2);
                BuiltNetwork bn = NetworkFactory.build(mlp(m -> m.batchNorm(true), 7), 2);
                BuiltNetwork res = NetworkFactory.build(mlp(m -> m.residual(true), 7), 2);
                BuiltNetwork both =
                        NetworkFactory.build(mlp(m -> m.residual(true).batchNorm(true), 7), 2)) {
            for (String layer : new String[] {"dense1", "dense2", "dense3", "dense4", "dense5", "output"}) {
                assertThat(w(bn, layer)).as(layer).containsExactly(w(plain, layer));
                assertThat(w(res, layer)).as(layer).containsExactly(w(plain, layer));
                assertThat(w(both, layer)).as(layer).containsExactly(w(plain, layer));
            }
            // Distinct layers of one net are distinct draws.
            assertThat(w(plain, "dense3")).isNotEqualTo(w(plain, "dense2"));
        }
    }

    /** DL4J's single stream gives a deeper net's output layer other weights; ours agree wherever the shape does. */
    @Test
    void deeperNetSharesTheShallowOnesLayersAndOutput() {
        try (BuiltNetwork five = NetworkFactory.build(mlp(m -> {}, 7), 2);
                BuiltNetwork ten = NetworkFactory.build(mlp(m -> m.depth(10), 7), 2);
                BuiltNetwork wider = NetworkFactory.build(mlp(m -> m.width(17), 7), 2)) {
            for (String layer : new String[] {"dense1", "dense2", "dense3", "dense4", "dense5", "output"}) {
                assertThat(w(ten, layer)).as(layer).containsExactly(w(five, layer));
            }
            assertThat(w(wider, "dense2")).hasSize(17 * 17); // another shape: another stream
            assertThat(java.util.Arrays.copyOf(w(wider, "dense2"), 16))
                    .isNotEqualTo(java.util.Arrays.copyOf(w(five, "dense2"), 16));
        }
    }

    @Test
    void anotherSeedOtherWeights() {
        try (BuiltNetwork a = NetworkFactory.build(mlp(m -> {}, 7), 2);
                BuiltNetwork b = NetworkFactory.build(mlp(m -> {}, 8), 2)) {
            for (String layer : new String[] {"dense1", "dense3", "output"}) {
                assertThat(w(b, layer)).as(layer).isNotEqualTo(w(a, layer));
            }
        }
    }

    /** The weights follow DL4J's distribution for each weightInit, with fanIn × fanOut the matrix's shape. */
    @Test
    void distributionsAreDl4jsForEachWeightInit() {
        ModelSpec xavier = ModelSpec.mlp().weightInit(WeightInit.XAVIER).build();
        assertThat(std(MatchedInit.draw(xavier, 1, MatchedInit.Role.DENSE, 2, 200, 300)))
                .isCloseTo(Math.sqrt(2.0 / 500), within(0.002));
        ModelSpec he = ModelSpec.mlp().weightInit(WeightInit.HE).build();
        assertThat(std(MatchedInit.draw(he, 1, MatchedInit.Role.DENSE, 2, 200, 300)))
                .isCloseTo(Math.sqrt(2.0 / 200), within(0.002));
        ModelSpec normal =
                ModelSpec.mlp().weightInit(WeightInit.NORMAL).initScale(0.3).build();
        assertThat(std(MatchedInit.draw(normal, 1, MatchedInit.Role.DENSE, 2, 200, 300)))
                .isCloseTo(0.3, within(0.005));
        float[] uniform = MatchedInit.draw(
                ModelSpec.mlp().weightInit(WeightInit.UNIFORM).build(), 1, MatchedInit.Role.DENSE, 2, 100, 300);
        assertThat(max(uniform)).isLessThanOrEqualTo(0.1f).isGreaterThan(0.099f);
        float[] bounded = MatchedInit.draw(
                ModelSpec.mlp().weightInit(WeightInit.UNIFORM).initScale(0.5).build(),
                1,
                MatchedInit.Role.DENSE,
                2,
                100,
                300);
        assertThat(max(bounded)).isLessThanOrEqualTo(0.5f).isGreaterThan(0.49f);
        // xavier and he scale the same standard normal draws: their variants of a layer are scaled copies.
        float[] x = MatchedInit.draw(xavier, 1, MatchedInit.Role.DENSE, 2, 20, 30);
        float[] h = MatchedInit.draw(he, 1, MatchedInit.Role.DENSE, 2, 20, 30);
        double ratio = Math.sqrt(2.0 / 20) / Math.sqrt(2.0 / 50);
        for (int i = 0; i < x.length; i++) {
            assertThat((double) h[i]).isCloseTo(x[i] * ratio, within(1e-5));
        }
    }

    @Test
    void recurrentNetsOfTwoScalesShareTheirInputAndOutputWeights() {
        ExperimentSpec half = ExperimentSpec.builder()
                .model(m -> m.type(dev.gradlab.spec.ModelType.RNN).width(8).recurrentScale(0.5))
                .dataset(d -> d.name(DatasetName.REMEMBER_FIRST).sequenceLength(10))
                .build()
                .withDefaults();
        ExperimentSpec three = half.withModel(m -> m.recurrentScale(3.0));
        ExperimentSpec lstm = half.withModel(m -> m.cell(RnnCell.LSTM).forgetGateBias(1.0));
        try (BuiltNetwork a = NetworkFactory.build(half, 2);
                BuiltNetwork b = NetworkFactory.build(three, 2);
                BuiltNetwork c = NetworkFactory.build(lstm, 2)) {
            assertThat(w(b, "rnn1")).containsExactly(w(a, "rnn1"));
            assertThat(w(b, "output")).containsExactly(w(a, "output"));
            assertThat(w(c, "output")).containsExactly(w(a, "output"));
            float[] recurrentA = a.layer("rnn1").getParam("RW").dup().data().asFloat();
            float[] recurrentB = b.layer("rnn1").getParam("RW").dup().data().asFloat();
            for (int i = 0; i < recurrentA.length; i++) {
                assertThat(recurrentB[i]).isCloseTo(6 * recurrentA[i], within(1e-5f)); // the same Q, scaled
            }
        }
    }

    private static double std(float[] values) {
        double sum = 0;
        double squares = 0;
        for (float v : values) {
            sum += v;
            squares += (double) v * v;
        }
        double mean = sum / values.length;
        return Math.sqrt(squares / values.length - mean * mean);
    }

    private static float max(float[] values) {
        float m = Float.NEGATIVE_INFINITY;
        for (float v : values) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }
}
