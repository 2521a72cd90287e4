package dev.gradlab.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.gradlab.dataset.DatasetFactory;
import dev.gradlab.dataset.Samples;
import dev.gradlab.network.BuiltNetwork;
import dev.gradlab.network.LayerDescriptor;
import dev.gradlab.network.NetworkFactory;
import dev.gradlab.network.ParameterSlice;
import dev.gradlab.spec.Activation;
import dev.gradlab.spec.ClippingMode;
import dev.gradlab.spec.DatasetName;
import dev.gradlab.spec.ExperimentSpec;
import dev.gradlab.spec.GradientClipping;
import dev.gradlab.spec.ModelSpec;
import dev.gradlab.spec.Optimizer;
import dev.gradlab.spec.RnnCell;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Pascanu, Mikolov & Bengio (2013) at toy scale: a tanh SimpleRnn on the adding problem (T = 100), W_rec an
 * orthogonal matrix times recurrentScale. Scale 0.5 vanishes through time, 3 explodes; clipping tames it;
 * an LSTM's forget gate keeps early steps alive.
 */
class RecurrentGradientTest {

    static ExperimentSpec adding(
            RnnCell cell,
            double scale,
            Double forgetGateBias,
            double learningRate,
            GradientClipping clipping,
            int epochs,
            int every) {
        return ExperimentSpec.builder()
                .model(ModelSpec.rnn()
                        .depth(1)
                        .width(64)
                        .cell(cell)
                        .activation(Activation.TANH)
                        .recurrentScale(scale)
                        .forgetGateBias(forgetGateBias)
                        .build())
                .dataset(d -> d.name(DatasetName.ADDING).samples(1000).sequenceLength(100))
                .training(t -> t.optimizer(Optimizer.SGD)
                        .learningRate(learningRate)
                        .batchSize(50)
                        .epochs(epochs)
                        .gradientClipping(clipping))
                .metrics(m -> m.every(every))
                .build()
                .withDefaults();
    }

    /** ‖∂L/∂x₁‖ / ‖∂L/∂x_T‖ before any update. */
    static double firstToLastStep(ExperimentSpec spec) {
        ExperimentTrainerTest.Recorder r = new ExperimentTrainerTest.Recorder();
        new ExperimentTrainer().train(spec, r, () -> r.iterations.size() >= 1);
        double[] norms = r.iterations.get(0).timestepGradients();
        return norms[0] / norms[norms.length - 1];
    }

    @Test
    void recurrentWeightsHaveTheRequestedSingularValue() {
        for (RnnCell cell : RnnCell.values()) {
            ExperimentSpec spec = adding(cell, 0.7, null, 0.05, GradientClipping.NONE, 1, 1);
            try (BuiltNetwork net = NetworkFactory.build(spec, 1)) {
                INDArray rw = net.layer("rnn1").getParam("RW").castTo(DataType.DOUBLE);
                for (long b = 0; b < rw.size(1) / 64; b++) {
                    INDArray block = rw.get(
                                    org.nd4j.linalg.indexing.NDArrayIndex.all(),
                                    org.nd4j.linalg.indexing.NDArrayIndex.interval(b * 64, (b + 1) * 64))
                            .dup();
                    // WᵀW = s²·I exactly when every singular value of W equals s (to float32 precision here).
                    INDArray gram = block.transpose().mmul(block);
                    INDArray expected = org.nd4j.linalg.factory.Nd4j.eye(64)
                            .castTo(DataType.DOUBLE)
                            .muli(0.49);
                    assertThat(gram.sub(expected).amaxNumber().doubleValue())
                            .as(cell + " block " + b)
                            .isLessThan(1e-6);
                }
            }
        }
    }

    @Test
    void smallRecurrentScaleVanishesThroughTime() {
        double half = firstToLastStep(adding(RnnCell.SIMPLE, 0.5, null, 0.05, GradientClipping.NONE, 1, 1));
        double one = firstToLastStep(adding(RnnCell.SIMPLE, 1.0, null, 0.05, GradientClipping.NONE, 1, 1));
        // Measured: 3×10⁻³¹ at scale 0.5 (computed in float64; float32 would flush it to 0), 6×10⁻⁴ at scale 1.
        assertThat(half).isLessThan(1e-20).isPositive();
        assertThat(one).isBetween(1e-5, 1e-1);
    }

    @Test
    void lstmKeepsEarlyStepsAlive() {
        double simpleHalf = firstToLastStep(adding(RnnCell.SIMPLE, 0.5, null, 0.05, GradientClipping.NONE, 1, 1));
        double simpleOne = firstToLastStep(adding(RnnCell.SIMPLE, 1.0, null, 0.05, GradientClipping.NONE, 1, 1));
        double lstm = firstToLastStep(adding(RnnCell.LSTM, 0.5, null, 0.05, GradientClipping.NONE, 1, 1));
        double lstmBias5 = firstToLastStep(adding(RnnCell.LSTM, 0.5, 5.0, 0.05, GradientClipping.NONE, 1, 1));
        // Measured: LSTM 8×10⁻⁸ against 3×10⁻³¹ (simple, 0.5) and 6×10⁻⁴ (simple, 1.0); bias 5: 18.
        assertThat(lstm).isGreaterThan(simpleHalf * 1e10);
        assertThat(lstm).isLessThanOrEqualTo(simpleOne);
        assertThat(lstmBias5).isGreaterThanOrEqualTo(1.0);
    }

    @Test
    void largeRecurrentScaleExplodesAndClippingTamesIt() {
        ExperimentTrainerTest.Recorder wild = new ExperimentTrainerTest.Recorder();
        TrainingOutcome exploded = new ExperimentTrainer()
                .train(adding(RnnCell.SIMPLE, 3.0, null, 0.05, GradientClipping.NONE, 3, 1), wild, () -> false);
        double firstStepRecurrent = wild.iterations.get(0).layers().get(0).recurrentWeightGradientNorm();
        // Measured: ~10¹³ per example at the first step, NaN at iteration 28 (float32, as DL4J trains).
        assertThat(firstStepRecurrent).isGreaterThan(1e11);
        assertThat(exploded.status()).isEqualTo(TrainingStatus.DIVERGED);
        assertThat(exploded.divergence().iteration()).isBetween(5L, 60L);
        assertThat(wild.iterations).hasSize((int) exploded.divergence().iteration());

        ExperimentTrainerTest.Recorder tame = new ExperimentTrainerTest.Recorder();
        TrainingOutcome clipped = new ExperimentTrainer()
                .train(
                        adding(
                                RnnCell.SIMPLE,
                                3.0,
                                null,
                                0.05,
                                GradientClipping.builder()
                                        .mode(ClippingMode.CLIP_L2_PER_LAYER)
                                        .threshold(1.0)
                                        .build(),
                                3,
                                1),
                        tame,
                        () -> false);
        double[] losses = tame.losses();
        assertThat(clipped.status()).isEqualTo(TrainingStatus.COMPLETED);
        for (IterationMetrics it : tame.iterations) {
            assertThat(it.loss()).isFinite();
        }
        double early = java.util.Arrays.stream(losses, 0, 5).average().orElseThrow();
        double late = java.util.Arrays.stream(losses, losses.length - 5, losses.length)
                .average()
                .orElseThrow();
        assertThat(late).isLessThan(early / 2); // measured 2.23 → 0.22
    }

    /**
     * The clipped run's first iterations, driven by hand so that the parameters can be read: the step DL4J takes
     * on each layer, ‖Δθ_layer‖ / learning rate (plain SGD), is the raw minibatch-mean gradient clipped to the
     * threshold. The raw gradient of the recurrent layer is ~10¹³ here, so without DL4J's clipping its step
     * would be that, not the threshold.
     */
    @Test
    void clippingLimitsTheStepDl4jTakesOnAnExplodingRnn() {
        double learningRate = 0.05;
        double threshold = 1.0;
        GradientClipping clipping = GradientClipping.builder()
                .mode(ClippingMode.CLIP_L2_PER_LAYER)
                .threshold(threshold)
                .build();
        ExperimentSpec spec = adding(RnnCell.SIMPLE, 3.0, null, learningRate, clipping, 1, 1);
        Samples train = DatasetFactory.generate(spec.dataset()).train();
        int batch = spec.training().batchSize();
        int[] order = java.util.stream.IntStream.range(0, train.size()).toArray();
        try (BuiltNetwork net = NetworkFactory.build(spec, train.outputs())) {
            GradientNormListener listener = new GradientNormListener(net, clipping);
            net.setListeners(listener);
            for (int iteration = 1; iteration <= 5; iteration++) {
                float[] before = net.params().dup().toFloatVector();
                listener.beginIteration(iteration, batch, true);
                int from = (iteration - 1) * batch;
                net.fit(ExperimentTrainer.minibatch(train, order, from, from + batch, net.dataType()));
                float[] after = net.params().toFloatVector();
                for (LayerDescriptor layer : net.layers()) {
                    double squares = 0;
                    for (ParameterSlice slice : layer.slices()) {
                        for (long k = slice.offset(); k < slice.offset() + slice.length(); k++) {
                            double d = before[(int) k] - after[(int) k];
                            squares += d * d;
                        }
                    }
                    double step = Math.sqrt(squares) / learningRate;
                    LayerStatistics s = listener.statistics().get(layer.index());
                    double raw = Math.sqrt(s.weightGradientNorm() * s.weightGradientNorm()
                            + s.biasGradientNorm() * s.biasGradientNorm()
                            + (s.recurrentWeightGradientNorm() == null
                                    ? 0
                                    : s.recurrentWeightGradientNorm() * s.recurrentWeightGradientNorm()));
                    double expected = Math.min(raw, threshold);
                    assertThat(step)
                            .as("iteration %d, %s: raw %g", iteration, layer.name(), raw)
                            .isCloseTo(expected, within(expected * 1e-3));
                    if (layer.recurrentWeight() != null) {
                        assertThat(raw)
                                .as("iteration %d: the rule had to act", iteration)
                                .isGreaterThan(1e3);
                    }
                }
            }
        }
    }
}
