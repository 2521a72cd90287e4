package dev.gradlab.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.gradlab.network.BuiltNetwork;
import dev.gradlab.network.LayerDescriptor;
import dev.gradlab.network.LayerKind;
import dev.gradlab.network.NetworkFactory;
import dev.gradlab.spec.Activation;
import dev.gradlab.spec.DatasetName;
import dev.gradlab.spec.ExperimentSpec;
import dev.gradlab.spec.ModelType;
import dev.gradlab.spec.RnnCell;
import dev.gradlab.spec.WeightInit;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The probe's two definitions checked against an independent computation from the parameters: saturated = share of
 * pre-activations z with |z| ≥ 5 (computed here as x·W + b, not read back from σ(z)); dead = share of ReLU units
 * at 0 for every probe example. The recurrent case counts every time step, not only the last one training reads.
 */
class ActivationProbeTest {

    private static INDArray inputs(int batch, int features, long seed) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.randn(DataType.FLOAT, batch, features);
    }

    private static ExperimentSpec mlp(Activation activation, int depth, int width, WeightInit init, Double scale) {
        return ExperimentSpec.builder()
                .model(m -> m.depth(depth)
                        .width(width)
                        .activation(activation)
                        .weightInit(init)
                        .initScale(scale))
                .build()
                .withDefaults();
    }

    @Test
    void probesEveryRecordedIterationAtLeastTwentyApart() {
        assertThat(ActivationProbe.every(1)).isEqualTo(20);
        assertThat(ActivationProbe.every(3)).isEqualTo(21);
        assertThat(ActivationProbe.every(7)).isEqualTo(21);
        assertThat(ActivationProbe.every(20)).isEqualTo(20);
        assertThat(ActivationProbe.every(50)).isEqualTo(50);
    }

    @Test
    void saturatedIsTheShareOfPreActivationsBeyondFive() {
        ExperimentSpec spec = mlp(Activation.SIGMOID, 3, 32, WeightInit.NORMAL, 4.0);
        try (BuiltNetwork net = NetworkFactory.build(spec, 2)) {
            INDArray x = inputs(64, 2, 7);
            ActivationProbe.Measurements f = new ActivationProbe(x, Activation.SIGMOID, null).measure(net);
            // dense1: z = x·W + b, from the parameters.
            INDArray z = x.mmul(net.layer("dense1").getParam("W"))
                    .addRowVector(net.layer("dense1").getParam("b"));
            double expected = share(z, v -> Math.abs(v) >= 5);
            assertThat(expected).as("the test needs a partly saturated layer").isBetween(0.05, 0.95);
            assertThat(f.saturated()[0]).isCloseTo(expected, within(2.0 / z.length()));
            for (int l = 0; l < 3; l++) {
                assertThat(f.saturated()[l]).as("dense" + (l + 1) + " measured").isNotNaN();
            }
            assertThat(f.saturated()[3]).as("output layer").isNaN();
            assertThat(f.dead()).as("sigmoid units do not die").containsOnly(Double.NaN);
        }
    }

    @Test
    void deadIsTheShareOfReluUnitsOffForEveryExample() {
        // Deep and narrow: at He init whole layers start dead (Lu et al. 2019).
        ExperimentSpec spec = mlp(Activation.RELU, 20, 3, WeightInit.HE, null);
        try (BuiltNetwork net = NetworkFactory.build(spec, 2)) {
            INDArray x = inputs(64, 2, 11);
            ActivationProbe.Measurements f = new ActivationProbe(x, Activation.RELU, null).measure(net);
            INDArray a = x;
            for (LayerDescriptor layer : net.layers()) {
                if (layer.kind() != LayerKind.DENSE) {
                    assertThat(f.dead()[layer.index()]).isNaN();
                    continue;
                }
                a = relu(a.mmul(net.layer(layer.name()).getParam("W"))
                        .addRowVector(net.layer(layer.name()).getParam("b")));
                int dead = 0;
                for (int u = 0; u < a.size(1); u++) {
                    if (a.getColumn(u).maxNumber().doubleValue() <= 0) {
                        dead++;
                    }
                }
                assertThat(f.dead()[layer.index()]).as(layer.name()).isEqualTo(dead / 3.0);
            }
            assertThat(f.dead()).as("some layer is entirely dead").contains(1.0);
            assertThat(f.saturated()).as("ReLU does not saturate").containsOnly(Double.NaN);
        }
    }

    private static INDArray relu(INDArray z) {
        return org.nd4j.linalg.ops.transforms.Transforms.relu(z, true);
    }

    /** h_t = tanh(x_t·W + h_{t−1}·RW + b) by hand, over every step: the probe must count all T of them. */
    @Test
    void aRecurrentLayerIsProbedAtEveryTimeStep() {
        ExperimentSpec spec = ExperimentSpec.builder()
                .model(m -> m.type(ModelType.RNN).width(8).recurrentScale(3.0))
                .dataset(d -> d.name(DatasetName.ADDING).sequenceLength(12))
                .build()
                .withDefaults();
        try (BuiltNetwork net = NetworkFactory.build(spec, 1)) {
            Nd4j.getRandom().setSeed(3);
            INDArray x = Nd4j.rand(DataType.FLOAT, 16, 2, 12).muli(4);
            ActivationProbe.Measurements f = new ActivationProbe(x, Activation.TANH, null).measure(net);
            INDArray w = net.layer("rnn1").getParam("W");
            INDArray rw = net.layer("rnn1").getParam("RW");
            INDArray b = net.layer("rnn1").getParam("b");
            INDArray h = Nd4j.zeros(DataType.FLOAT, 16, 8);
            long saturated = 0;
            long lastStepSaturated = 0;
            for (int t = 0; t < 12; t++) {
                INDArray xt = x.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(t));
                INDArray z = xt.mmul(w).add(h.mmul(rw)).addRowVector(b);
                long n = Math.round(share(z, v -> Math.abs(v) >= 5) * z.length());
                saturated += n;
                lastStepSaturated = n;
                h = org.nd4j.linalg.ops.transforms.Transforms.tanh(z, true);
            }
            double expected = saturated / (16.0 * 8 * 12);
            assertThat(expected).as("scale 3 saturates part of the steps").isBetween(0.05, 0.95);
            assertThat(f.saturated()[0]).isCloseTo(expected, within(3.0 / (16 * 8 * 12)));
            assertThat(f.saturated()[0])
                    .as("not just the last step")
                    .isNotCloseTo(lastStepSaturated / 128.0, within(1e-3));
        }
    }

    @Test
    void probingChangesNothingAndUsesTheBatchStatisticsOfBatchNorm() {
        ExperimentSpec spec = mlp(Activation.TANH, 4, 16, WeightInit.NORMAL, 3.0)
                .withModel(m -> m.batchNorm(true))
                .withDefaults();
        try (BuiltNetwork net = NetworkFactory.build(spec, 2)) {
            INDArray before = net.params().dup();
            INDArray x = inputs(64, 2, 5);
            ActivationProbe.Measurements f = new ActivationProbe(x, Activation.TANH, null).measure(net);
            assertThat(net.params()).isEqualTo(before);
            // BN normalises each unit over the probe batch: |x̂| ≥ 5 is impossible for 64 examples (max √63 ≈ 7.9,
            // and only for one outlier), so the large init saturates (almost) nothing.
            for (LayerDescriptor layer : net.layers()) {
                if (layer.kind() == LayerKind.DENSE) {
                    assertThat(f.saturated()[layer.index()]).as(layer.name()).isLessThan(0.02);
                } else {
                    assertThat(f.saturated()[layer.index()]).as(layer.name()).isNaN();
                }
            }
            Map<Integer, INDArray> outputs = net.nonlinearityOutputs(x);
            assertThat(outputs.keySet()).as("the dense layers' act vertices").hasSize(4);
        }
    }

    /** Mean σ′(z) = mean σ(z)(1 − σ(z)) from z computed here; ‖W‖_F/√n_out from the parameters. */
    @Test
    void derivativeMeanAndWeightScaleFollowFromTheParameters() {
        ExperimentSpec spec = mlp(Activation.SIGMOID, 3, 32, WeightInit.NORMAL, 2.0);
        try (BuiltNetwork net = NetworkFactory.build(spec, 2)) {
            INDArray x = inputs(64, 2, 7);
            ActivationProbe.Measurements f = new ActivationProbe(x, Activation.SIGMOID, null).measure(net);
            INDArray w1 = net.layer("dense1").getParam("W");
            INDArray z = x.mmul(w1).addRowVector(net.layer("dense1").getParam("b"));
            double[] zs = z.castTo(DataType.DOUBLE).data().asDouble();
            double sum = 0;
            for (double v : zs) {
                double s = 1 / (1 + Math.exp(-v));
                sum += s * (1 - s);
            }
            assertThat(f.derivativeMean()[0]).isCloseTo(sum / zs.length, within(1e-5));
            assertThat(f.derivativeMean()[0]).as("σ′ ≤ 1/4").isLessThanOrEqualTo(0.25);
            assertThat(f.derivativeMean()[3])
                    .as("output layer: no hidden nonlinearity")
                    .isNaN();
            for (LayerDescriptor layer : net.layers()) {
                INDArray w = net.layer(layer.name()).getParam("W");
                double frobenius = Math.sqrt(w.castTo(DataType.DOUBLE)
                        .mul(w.castTo(DataType.DOUBLE))
                        .sumNumber()
                        .doubleValue());
                assertThat(f.weightScale()[layer.index()])
                        .as(layer.name())
                        .isCloseTo(frobenius / Math.sqrt(w.size(1)), within(1e-4 * frobenius));
            }
            assertThat(f.recurrentSpectralNorm()).as("no recurrent layer").containsOnly(Double.NaN);
        }
    }

    @Test
    void eachActivationsDerivativeIsReadFromItsOutput() {
        for (Activation activation : Activation.values()) {
            ExperimentSpec spec = mlp(activation, 2, 16, WeightInit.NORMAL, 1.5);
            try (BuiltNetwork net = NetworkFactory.build(spec, 2)) {
                INDArray x = inputs(64, 2, 9);
                double measured =
                        new ActivationProbe(x, activation, null).measure(net).derivativeMean()[0];
                INDArray z = x.mmul(net.layer("dense1").getParam("W"))
                        .addRowVector(net.layer("dense1").getParam("b"));
                double sum = 0;
                double[] zs = z.castTo(DataType.DOUBLE).data().asDouble();
                for (double v : zs) {
                    sum += switch (activation) {
                        case SIGMOID -> Math.exp(-v) / Math.pow(1 + Math.exp(-v), 2);
                        case TANH -> 1 / Math.pow(Math.cosh(v), 2);
                        case RELU -> v > 0 ? 1 : 0;
                        case LEAKYRELU -> v > 0 ? 1 : 0.01;
                        case ELU -> v > 0 ? 1 : Math.exp(v);
                        case IDENTITY -> 1;
                    };
                }
                assertThat(measured).as(activation.name()).isCloseTo(sum / zs.length, within(1e-4));
            }
        }
    }

    /** GradLab's W_rec is orthogonal times recurrentScale, so every singular value, λ₁ too, is the scale. */
    @Test
    void recurrentSpectralNormAtInitialisationIsTheRecurrentScale() {
        for (double scale : new double[] {0.5, 1.0, 3.0}) {
            ExperimentSpec spec = ExperimentSpec.builder()
                    .model(m -> m.type(ModelType.RNN).width(24).recurrentScale(scale))
                    .dataset(d -> d.name(DatasetName.ADDING).sequenceLength(6))
                    .build()
                    .withDefaults();
            try (BuiltNetwork net = NetworkFactory.build(spec, 1)) {
                INDArray x = Nd4j.rand(DataType.FLOAT, 8, 2, 6);
                ActivationProbe.Measurements f = new ActivationProbe(x, Activation.TANH, RnnCell.SIMPLE).measure(net);
                assertThat(f.recurrentSpectralNorm()[0]).as("scale " + scale).isCloseTo(scale, within(1e-4 * scale));
                assertThat(f.derivativeMean()[0]).as("tanh′ ≤ 1").isBetween(0.0, 1.0);
            }
        }
    }

    @Test
    void powerIterationFindsTheLargestSingularValue() {
        // [[1, 2], [3, 4]]: σ₁ = √((30 + √896)/2) = 5.4649857...
        INDArray m = Nd4j.createFromArray(new float[][] {{1, 2}, {3, 4}});
        assertThat(ActivationProbe.largestSingularValue(m)).isCloseTo(5.4649857, within(1e-5));
        INDArray rectangular = Nd4j.createFromArray(new float[][] {{1, 2, 3}, {3, 4, 5}});
        assertThat(ActivationProbe.largestSingularValue(rectangular)).isNaN();
    }

    @Test
    void anLstmHasNoPascanuQuantities() {
        ExperimentSpec spec = ExperimentSpec.builder()
                .model(m -> m.type(ModelType.RNN).width(8).cell(RnnCell.LSTM))
                .dataset(d -> d.name(DatasetName.ADDING).sequenceLength(6))
                .build()
                .withDefaults();
        try (BuiltNetwork net = NetworkFactory.build(spec, 1)) {
            INDArray x = Nd4j.rand(DataType.FLOAT, 8, 2, 6);
            ActivationProbe.Measurements f = new ActivationProbe(x, Activation.TANH, RnnCell.LSTM).measure(net);
            assertThat(f.derivativeMean()[0]).as("h = o ⊙ tanh(c) is not φ(z)").isNaN();
            assertThat(f.recurrentSpectralNorm()[0])
                    .as("W_rec holds four gates")
                    .isNaN();
            assertThat(f.weightScale()[0]).isPositive();
        }
    }

    private static double share(INDArray z, java.util.function.DoublePredicate p) {
        double[] v = z.castTo(DataType.DOUBLE).data().asDouble();
        long n = 0;
        for (double d : v) {
            if (p.test(d)) {
                n++;
            }
        }
        return (double) n / v.length;
    }
}
