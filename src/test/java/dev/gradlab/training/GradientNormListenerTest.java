package dev.gradlab.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.gradlab.network.BuiltNetwork;
import dev.gradlab.network.LayerDescriptor;
import dev.gradlab.network.LayerKind;
import dev.gradlab.network.NetworkFactory;
import dev.gradlab.spec.ClippingMode;
import dev.gradlab.spec.ExperimentSpec;
import dev.gradlab.spec.GradientClipping;
import dev.gradlab.spec.Optimizer;
import java.util.List;
import java.util.SplittableRandom;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/** Checks each statistic against a value computed independently with ND4J on a twin network. */
class GradientNormListenerTest {

    private static final int BATCH = 16;

    private static ExperimentSpec spec(boolean batchNorm, GradientClipping clipping, double learningRate) {
        return ExperimentSpec.builder()
                .model(m -> m.depth(3).width(8).residual(false).batchNorm(batchNorm))
                .training(t -> t.optimizer(Optimizer.SGD)
                        .learningRate(learningRate)
                        .batchSize(BATCH)
                        .epochs(1)
                        .seed(11L)
                        .gradientClipping(clipping))
                .build()
                .withDefaults();
    }

    private static DataSet batch() {
        INDArray x = Nd4j.rand(DataType.FLOAT, BATCH, 2).subi(0.5).muli(4);
        INDArray y = Nd4j.zeros(DataType.FLOAT, BATCH, 2);
        for (int i = 0; i < BATCH; i++) {
            y.putScalar(i, i % 2, 1f);
        }
        return new DataSet(x, y);
    }

    private static double norm(INDArray a) {
        double s = 0;
        for (double v : a.castTo(DataType.DOUBLE).dup().reshape(a.length()).toDoubleVector()) {
            s += v * v;
        }
        return Math.sqrt(s);
    }

    @Test
    void gradientNormsAreTheMinibatchMeanBeforeTheUpdate() {
        ExperimentSpec spec = spec(true, GradientClipping.NONE, 0.1);
        BuiltNetwork measured = NetworkFactory.build(spec, 2);
        ComputationGraph twin = NetworkFactory.build(spec, 2).graph();
        DataSet ds = batch();

        twin.setInput(0, ds.getFeatures());
        twin.setLabels(ds.getLabels());
        twin.computeGradientAndScore();

        GradientNormListener listener = new GradientNormListener(measured, GradientClipping.NONE);
        measured.graph().setListeners(listener);
        listener.beginIteration(1, BATCH, true);
        measured.graph().fit(ds);

        List<LayerStatistics> stats = listener.statistics();
        assertThat(stats).hasSize(measured.layers().size());
        for (LayerDescriptor layer : measured.layers()) {
            String w = layer.kind() == LayerKind.BATCH_NORM ? "gamma" : "W";
            String b = layer.kind() == LayerKind.BATCH_NORM ? "beta" : "b";
            double expectedW = norm(twin.gradient().getGradientFor(layer.name() + "_" + w)) / BATCH;
            double expectedB = norm(twin.gradient().getGradientFor(layer.name() + "_" + b)) / BATCH;
            LayerStatistics s = stats.get(layer.index());
            assertThat(s.weightGradientNorm()).as(layer.name()).isCloseTo(expectedW, within(expectedW * 1e-5 + 1e-12));
            assertThat(s.biasGradientNorm()).as(layer.name()).isCloseTo(expectedB, within(expectedB * 1e-5 + 1e-12));
            assertThat(s.clippedWeightGradientNorm()).isNull();
        }
        assertThat(listener.loss()).isCloseTo(twin.score(), within(1e-6));
        measured.graph().close();
        twin.close();
    }

    @ParameterizedTest
    @EnumSource(
            value = ClippingMode.class,
            names = {"CLIP_L2_PER_LAYER", "CLIP_ELEMENT_WISE", "RENORMALIZE_L2_PER_LAYER"})
    void clippedNormsEqualTheStepDl4jActuallyTook(ClippingMode mode) {
        // With plain SGD at learning rate 1 the applied update is exactly the clipped gradient.
        double threshold = 0.05;
        GradientClipping clipping =
                GradientClipping.builder().mode(mode).threshold(threshold).build();
        ExperimentSpec spec = spec(false, clipping, 1.0);
        BuiltNetwork built = NetworkFactory.build(spec, 2);
        ComputationGraph graph = built.graph();
        float[] before = graph.params().dup().toFloatVector();
        GradientNormListener listener = new GradientNormListener(built, clipping);
        graph.setListeners(listener);
        listener.beginIteration(1, BATCH, true);
        graph.fit(batch());
        float[] after = graph.params().toFloatVector();

        int clippedLayers = 0;
        for (LayerDescriptor layer : built.layers()) {
            double stepW = 0;
            double paramW = 0;
            double largestStep = 0;
            for (long k = layer.weight().offset();
                    k < layer.weight().offset() + layer.weight().length();
                    k++) {
                double d = before[(int) k] - after[(int) k];
                stepW += d * d;
                paramW += (double) after[(int) k] * after[(int) k];
                largestStep = Math.max(largestStep, Math.abs(d));
            }
            double stepB = 0;
            for (long k = layer.bias().offset();
                    k < layer.bias().offset() + layer.bias().length();
                    k++) {
                double d = before[(int) k] - after[(int) k];
                stepB += d * d;
                largestStep = Math.max(largestStep, Math.abs(d));
            }
            LayerStatistics s = listener.statistics().get(layer.index());
            assertThat(s.clippedWeightGradientNorm())
                    .as(layer.name())
                    .isCloseTo(Math.sqrt(stepW), within(Math.sqrt(stepW) * 1e-3 + 1e-7));
            assertThat(s.clippedBiasGradientNorm())
                    .as(layer.name())
                    .isCloseTo(Math.sqrt(stepB), within(Math.sqrt(stepB) * 1e-3 + 1e-7));
            assertThat(s.updateRatio())
                    .isCloseTo(
                            Math.sqrt(stepW) / Math.sqrt(paramW), within(Math.sqrt(stepW) / Math.sqrt(paramW) * 1e-3));

            // The rule itself, on the step DL4J took (not on the listener's arithmetic), against the raw norm.
            double step = Math.sqrt(stepW + stepB);
            double raw = Math.hypot(s.weightGradientNorm(), s.biasGradientNorm());
            switch (mode) {
                case CLIP_L2_PER_LAYER -> {
                    assertThat(step).as(layer.name()).isCloseTo(Math.min(raw, threshold), within(threshold * 1e-3));
                    clippedLayers += raw > threshold ? 1 : 0;
                }
                case CLIP_ELEMENT_WISE -> {
                    assertThat(largestStep).as(layer.name()).isLessThanOrEqualTo(threshold * (1 + 1e-3));
                    clippedLayers += largestStep > threshold * (1 - 1e-3) ? 1 : 0; // some element hit the clamp
                }
                case RENORMALIZE_L2_PER_LAYER -> {
                    assertThat(step).as(layer.name()).isCloseTo(1.0, within(1e-3));
                    clippedLayers += Math.abs(raw - 1.0) > 0.1 ? 1 : 0;
                }
                default -> throw new IllegalArgumentException(mode.name());
            }
        }
        // Without clipping by DL4J these layers' steps would be the raw gradient, and the checks above would fail.
        assertThat(clippedLayers)
                .as("layers whose raw gradient the rule had to change")
                .isPositive();
        graph.close();
    }

    @Test
    void activationStatisticsDescribeTheLayerOutput() {
        ExperimentSpec spec = spec(true, GradientClipping.NONE, 0.1);
        BuiltNetwork built = NetworkFactory.build(spec, 2);
        ComputationGraph twin = NetworkFactory.build(spec, 2).graph();
        DataSet ds = batch();
        GradientNormListener listener = new GradientNormListener(built, GradientClipping.NONE);
        built.graph().setListeners(listener);
        listener.beginIteration(1, BATCH, true);
        built.graph().fit(ds);

        // Each layer's statistics are those of its activation vertex in a training-mode forward pass of the twin.
        java.util.Map<String, INDArray> forward = twin.feedForward(ds.getFeatures(), true);
        for (LayerDescriptor layer : built.layers()) {
            if (layer.activationVertex() == null) {
                continue;
            }
            double[] a = forward.get(layer.activationVertex())
                    .castTo(DataType.DOUBLE)
                    .dup()
                    .reshape(forward.get(layer.activationVertex()).length())
                    .toDoubleVector();
            double mean = java.util.Arrays.stream(a).average().orElseThrow();
            double std = Math.sqrt(
                    java.util.Arrays.stream(a).map(v -> (v - mean) * (v - mean)).sum() / a.length);
            LayerStatistics s = listener.statistics().get(layer.index());
            assertThat(s.activationMean()).as(layer.name()).isCloseTo(mean, within(1e-5));
            assertThat(s.activationStd()).as(layer.name()).isCloseTo(std, within(std * 1e-4 + 1e-6));
        }
        twin.close();

        // Batch norm in training mode: with γ=1, β=0 its output has mean 0 and std 1 per feature.
        LayerStatistics bn = listener.statistics().get(1);
        assertThat(bn.activationMean()).isCloseTo(0.0, within(1e-3));
        assertThat(bn.activationStd()).isCloseTo(1.0, within(1e-2));
        // The block's sigmoid output lies in (0, 1).
        LayerStatistics dense = listener.statistics().get(0);
        assertThat(dense.activationMean()).isBetween(0.0, 1.0);
        assertThat(listener.statistics().get(built.layers().size() - 1).activationMean())
                .isNull();
        built.graph().close();
    }

    /** The unrolled sums against a plain loop, for lengths that do and do not divide by four, and sub-ranges. */
    @Test
    void unrolledSumsMatchAPlainLoop() {
        SplittableRandom r = new SplittableRandom(7);
        for (int n : new int[] {0, 1, 3, 4, 5, 17, 1000}) {
            float[] x = new float[n + 3];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) (r.nextDouble() * 2 - 1) * 1e-20f;
            }
            double sum = 0;
            double squares = 0;
            for (int i = 0; i < n; i++) {
                sum += x[i];
                squares += (double) x[i + 1] * x[i + 1];
            }
            assertThat(GradientNormListener.sum(x, n)).isCloseTo(sum, within(Math.abs(sum) * 1e-12 + 1e-300));
            // 1e-20-sized values: their squares (1e-40) would underflow in float32, not in the double sums
            assertThat(GradientNormListener.sumSquares(x, 1, n + 1))
                    .isCloseTo(squares, within(squares * 1e-12 + 1e-300));
            if (n > 0) {
                assertThat(GradientNormListener.sumSquares(x, 1, n + 1)).isPositive();
            }
        }
    }
}
