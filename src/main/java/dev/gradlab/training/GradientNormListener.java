package dev.gradlab.training;

import dev.gradlab.network.BuiltNetwork;
import dev.gradlab.network.LayerDescriptor;
import dev.gradlab.network.ParameterSlice;
import dev.gradlab.spec.ClippingMode;
import dev.gradlab.spec.GradientClipping;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Measures every parameterised layer during one {@code fit} call. DL4J calls it at three points of an iteration:
 * after the forward pass (activations), after backprop and before the updater (the raw gradient, summed over the
 * minibatch and not yet clipped), and after the update (the flat gradient array now holds the applied update ΔW).
 * Norms are computed in double from one bulk copy of each flat array.
 */
final class GradientNormListener extends BaseTrainingListener {

    /** DL4J's renormalize mode divides by this instead of a zero norm. */
    private static final double RENORMALIZE_ZERO_NORM = 1e-5;

    private final BuiltNetwork network;
    private final List<LayerDescriptor> layers;
    private final GradientClipping clipping;
    /** For a MultiLayerNetwork, where each layer's activations sit in DL4J's activation list (input first). */
    private final int[] activationPositions;

    private boolean record;
    private int batchSize;
    // float32 copies (every GradLab network trains in float32), summed in double.
    private float[] gradient;
    private float[] update;
    private float[] params;
    private float[] activations;

    // Per-iteration results, indexed by layer.
    private final double[] weightNorm;
    private final double[] biasNorm;
    private final double[] clippedWeightNorm;
    private final double[] clippedBiasNorm;
    private final double[] recurrentNorm;
    private final double[] clippedRecurrentNorm;
    private final double[] updateRatio;
    private final double[] activationMean;
    private final double[] activationStd;
    private Divergence forwardDivergence;
    private Divergence backwardDivergence;
    private long iteration;
    private double loss;

    GradientNormListener(BuiltNetwork network, GradientClipping clipping) {
        this.network = network;
        this.layers = network.layers();
        this.clipping = clipping;
        int n = layers.size();
        activationPositions = new int[n];
        for (LayerDescriptor layer : layers) {
            activationPositions[layer.index()] = layer.activationVertex() == null
                    ? -1
                    : network.layer(layer.activationVertex()).getIndex() + 1;
        }
        weightNorm = new double[n];
        biasNorm = new double[n];
        clippedWeightNorm = new double[n];
        clippedBiasNorm = new double[n];
        recurrentNorm = new double[n];
        clippedRecurrentNorm = new double[n];
        updateRatio = new double[n];
        activationMean = new double[n];
        activationStd = new double[n];
    }

    /** Call before each {@code fit}: which iteration it is, its batch size, and whether to record layer stats. */
    void beginIteration(long iteration, int batchSize, boolean record) {
        this.iteration = iteration;
        this.batchSize = batchSize;
        this.record = record;
        this.forwardDivergence = null;
        this.backwardDivergence = null;
        this.loss = Double.NaN;
    }

    double loss() {
        return loss;
    }

    /** The first non-finite value seen in the last iteration, in causal order: forward, loss, backward. */
    Divergence divergence() {
        if (forwardDivergence != null) {
            return forwardDivergence;
        }
        if (!Double.isFinite(loss)) {
            if (record) {
                // Every hidden activation was checked and finite: the output layer is where it broke.
                LayerDescriptor output = layers.get(layers.size() - 1);
                return new Divergence(iteration, output.index(), output.name(), "loss");
            }
            return new Divergence(iteration, null, "loss", "loss");
        }
        return backwardDivergence;
    }

    List<LayerStatistics> statistics() {
        return statistics(null);
    }

    /** @param probe the activation probe's measurements for this iteration, or null if it did not run */
    List<LayerStatistics> statistics(ActivationProbe.Measurements probe) {
        if (!record) {
            return List.of();
        }
        boolean clipped = clipping.enabled();
        List<LayerStatistics> out = new ArrayList<>(layers.size());
        for (LayerDescriptor layer : layers) {
            int i = layer.index();
            boolean hasActivations = layer.activationVertex() != null;
            boolean recurrent = layer.recurrentWeight() != null;
            out.add(new LayerStatistics(
                    i,
                    weightNorm[i],
                    biasNorm[i],
                    clipped ? clippedWeightNorm[i] : null,
                    clipped ? clippedBiasNorm[i] : null,
                    updateRatio[i],
                    hasActivations ? activationMean[i] : null,
                    hasActivations ? activationStd[i] : null,
                    recurrent ? recurrentNorm[i] : null,
                    recurrent && clipped ? clippedRecurrentNorm[i] : null,
                    probe == null ? null : finiteOrNull(probe.saturated()[i]),
                    probe == null ? null : finiteOrNull(probe.dead()[i]),
                    probe == null ? null : finiteOrNull(probe.derivativeMean()[i]),
                    probe == null ? null : finiteOrNull(probe.weightScale()[i]),
                    probe == null ? null : finiteOrNull(probe.recurrentSpectralNorm()[i])));
        }
        return out;
    }

    /**
     * The probe marks "does not apply" with NaN; otherwise it yields NaN only from parameters already non-finite, a
     * run the divergence check stops at this iteration.
     */
    private static Double finiteOrNull(double v) {
        return Double.isNaN(v) ? null : v;
    }

    @Override
    public void onForwardPass(Model model, Map<String, INDArray> activationsByVertex) {
        if (record) {
            measureActivations(layer -> activationsByVertex.get(layer.activationVertex()));
        }
    }

    @Override
    public void onForwardPass(Model model, List<INDArray> activationsByPosition) {
        if (record) {
            measureActivations(layer -> activationsByPosition.get(activationPositions[layer.index()]));
        }
    }

    private void measureActivations(java.util.function.Function<LayerDescriptor, INDArray> activationsOf) {
        for (LayerDescriptor layer : layers) {
            if (layer.activationVertex() == null) {
                continue;
            }
            INDArray a = activationsOf.apply(layer);
            activations = FlatReader.readFloats(a, activations);
            int n = Math.toIntExact(a.length());
            double sum = sum(activations, n);
            double sumSquares = sumSquares(activations, 0, n);
            double mean = sum / n;
            activationMean[layer.index()] = mean;
            activationStd[layer.index()] = Math.sqrt(Math.max(0, sumSquares / n - mean * mean));
            if (forwardDivergence == null && !Double.isFinite(sum + sumSquares)) {
                forwardDivergence = new Divergence(iteration, layer.index(), layer.name(), "activation");
            }
        }
    }

    @Override
    public void onGradientCalculation(Model model) {
        INDArray flat = network.flatGradients();
        if (!record && Double.isFinite(flat.sumNumber().doubleValue())) {
            return; // nothing to measure, nothing non-finite: skip the copy
        }
        gradient = FlatReader.readFloats(flat, gradient);
        for (int i = layers.size() - 1; i >= 0; i--) { // backprop order: report where a non-finite first appears
            measureGradient(layers.get(i));
        }
    }

    private void measureGradient(LayerDescriptor layer) {
        int i = layer.index();
        // One pass over each slice (2.2 M floats on M3): weight, bias and W_rec are among the layer's slices
        // (NetworkFactory picks them from its parameter table), so their sums come out of the same loop.
        double layerSumSquares = 0;
        double weightSquares = 0;
        double biasSquares = 0;
        double recurrentSquares = 0;
        for (ParameterSlice s : layer.slices()) {
            double squares = sumSquares(gradient, s, divisor(s), Double.POSITIVE_INFINITY);
            layerSumSquares += squares;
            if (s.equals(layer.weight())) {
                weightSquares = squares;
            } else if (s.equals(layer.bias())) {
                biasSquares = squares;
            } else if (s.equals(layer.recurrentWeight())) {
                recurrentSquares = squares;
            }
        }
        double weight = Math.sqrt(weightSquares);
        double bias = Math.sqrt(biasSquares);
        double recurrent = Math.sqrt(recurrentSquares);
        weightNorm[i] = weight;
        biasNorm[i] = bias;
        recurrentNorm[i] = recurrent;
        if (clipping.enabled()) {
            clipped(layer, weight, bias, recurrent, Math.sqrt(layerSumSquares));
        }
        if (backwardDivergence == null && !Double.isFinite(layerSumSquares)) {
            backwardDivergence = new Divergence(iteration, i, layer.name(), "gradient");
        }
    }

    /** Applies DL4J's per-layer rule (see its BaseMultiLayerUpdater.preApply) to the minibatch-mean gradient. */
    private void clipped(LayerDescriptor layer, double weight, double bias, double recurrent, double layerNorm) {
        int i = layer.index();
        ClippingMode mode = clipping.mode();
        if (mode == ClippingMode.CLIP_ELEMENT_WISE) {
            double t = clipping.threshold();
            clippedWeightNorm[i] = Math.sqrt(sumSquares(gradient, layer.weight(), divisor(layer.weight()), t));
            clippedBiasNorm[i] = Math.sqrt(sumSquares(gradient, layer.bias(), divisor(layer.bias()), t));
            if (layer.recurrentWeight() != null) {
                clippedRecurrentNorm[i] =
                        Math.sqrt(sumSquares(gradient, layer.recurrentWeight(), divisor(layer.recurrentWeight()), t));
            }
            return;
        }
        double factor;
        if (mode == ClippingMode.CLIP_L2_PER_LAYER) {
            factor = layerNorm > clipping.threshold() ? clipping.threshold() / layerNorm : 1.0;
        } else {
            factor = 1.0 / (layerNorm == 0.0 ? RENORMALIZE_ZERO_NORM : layerNorm);
        }
        clippedWeightNorm[i] = weight * factor;
        clippedBiasNorm[i] = bias * factor;
        clippedRecurrentNorm[i] = recurrent * factor;
    }

    private double divisor(ParameterSlice s) {
        return s.divideByMinibatch() ? batchSize : 1.0;
    }

    /** Σ min(|x/divisor|, clamp)² over a slice, in double. */
    private static double sumSquares(float[] flat, ParameterSlice s, double divisor, double clamp) {
        int from = (int) s.offset();
        int to = from + (int) s.length();
        if (clamp == Double.POSITIVE_INFINITY) {
            return sumSquares(flat, from, to) / (divisor * divisor);
        }
        double sum = 0;
        for (int k = from; k < to; k++) {
            double v = Math.min(Math.abs(flat[k] / divisor), clamp);
            sum += v * v;
        }
        return sum;
    }

    /*
     * Four partial sums: a single double accumulator makes every addition wait for the one before (the JIT may not
     * reorder floating-point sums); four independent chains run about 3x faster on large layers.
     */
    static double sumSquares(float[] x, int from, int to) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int k = from;
        for (; k + 3 < to; k += 4) {
            double a = x[k];
            double b = x[k + 1];
            double c = x[k + 2];
            double d = x[k + 3];
            s0 += a * a;
            s1 += b * b;
            s2 += c * c;
            s3 += d * d;
        }
        for (; k < to; k++) {
            double a = x[k];
            s0 += a * a;
        }
        return (s0 + s1) + (s2 + s3);
    }

    static double sum(float[] x, int n) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int k = 0;
        for (; k + 3 < n; k += 4) {
            s0 += x[k];
            s1 += x[k + 1];
            s2 += x[k + 2];
            s3 += x[k + 3];
        }
        for (; k < n; k++) {
            s0 += x[k];
        }
        return (s0 + s1) + (s2 + s3);
    }

    @Override
    public void iterationDone(Model model, int dl4jIteration, int epoch) {
        loss = model.score();
        if (!record) {
            return;
        }
        update = FlatReader.readFloats(network.flatGradients(), update);
        params = FlatReader.readFloats(network.params(), params);
        for (LayerDescriptor layer : layers) {
            double delta = Math.sqrt(sumSquares(update, layer.weight(), 1.0, Double.POSITIVE_INFINITY));
            double weight = Math.sqrt(sumSquares(params, layer.weight(), 1.0, Double.POSITIVE_INFINITY));
            updateRatio[layer.index()] = delta / weight;
        }
    }

    /** Finds the first layer, input → output, whose parameters are non-finite (used once, when a run diverges). */
    Divergence locateNonFiniteParameters(Divergence fallback) {
        float[] p = FlatReader.readFloats(network.params(), null);
        for (LayerDescriptor layer : layers) {
            for (ParameterSlice s : layer.slices()) {
                if (!Double.isFinite(sumSquares(p, s, 1.0, Double.POSITIVE_INFINITY))) {
                    return new Divergence(fallback.iteration(), layer.index(), layer.name(), "parameters");
                }
            }
        }
        return fallback;
    }
}
