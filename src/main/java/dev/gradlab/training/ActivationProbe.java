package dev.gradlab.training;

import dev.gradlab.network.BuiltNetwork;
import dev.gradlab.network.LayerDescriptor;
import dev.gradlab.spec.Activation;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Measures, on a fixed probe batch (the same examples every time, like {@link TimestepGradientProbe}), how many of
 * each layer's hidden units sit where their nonlinearity passes (almost) no gradient:
 * <ul>
 *   <li><b>saturated fraction</b> (sigmoid, tanh, elu): the share of the layer's pre-activations z over the probe
 *       batch (every example, unit and, for a recurrent layer, time step) with |z| ≥ {@value #SATURATION_Z} for
 *       sigmoid and tanh, z ≤ −{@value #SATURATION_Z} for elu, whose positive side does not saturate. There
 *       σ′(z) ≤ 0.0066 (sigmoid), 1.8·10⁻⁴ (tanh), 0.0067 (elu). DeepDiagnosis (Wardat et al., ICSE 2022) calls a
 *       sigmoid/tanh layer saturated when more than half of its pre-activations are there. z is read back from
 *       the activation a = σ(z) (σ is monotonic): |a − ½| ≥ σ(5) − ½ for sigmoid, |a| ≥ tanh(5) for tanh. For an
 *       LSTM layer the output is h = o ⊙ tanh(c), so the share is a lower bound on the cell's own saturation.</li>
 *   <li><b>dead fraction</b> (relu): the share of the layer's units whose activation is 0 (z ≤ 0) for every probe
 *       example (and every time step): they pass no gradient for any of them, and a unit no input reaches cannot
 *       recover by gradient descent. Leaky ReLU and ELU keep a gradient on their negative side and cannot die.</li>
 * </ul>
 * A statistic that does not apply to the layer's nonlinearity (or a layer without one: batch norm, the output
 * layer, the input projection of pre-activation blocks) is NaN. One forward pass per measurement: about a quarter
 * of a training iteration for a 20 × 64 MLP at batch 128, so it runs every {@link #every(int)}-th recorded
 * iteration.
 */
final class ActivationProbe {

    static final int PROBE_SIZE = TimestepGradientProbe.PROBE_SIZE;
    /** |z| at which sigmoid and tanh count as saturated (DeepDiagnosis's threshold). */
    static final double SATURATION_Z = 5.0;
    /** Probe at least this many iterations apart: one probe costs about 25% of an iteration. */
    static final int MIN_SPACING = 20;

    private static final double SIGMOID_SATURATED = 1.0 / (1.0 + Math.exp(-SATURATION_Z)) - 0.5;
    private static final double TANH_SATURATED = Math.tanh(SATURATION_Z);
    private static final double ELU_SATURATED = Math.expm1(-SATURATION_Z);

    private final INDArray features;
    private final Activation activation;
    private float[] values;

    ActivationProbe(INDArray features, Activation activation) {
        this.features = features;
        this.activation = activation;
    }

    /** Probe every this many iterations: a multiple of metrics.every, at least {@link #MIN_SPACING}. */
    static int every(int metricsEvery) {
        return metricsEvery * Math.max(1, (MIN_SPACING + metricsEvery - 1) / metricsEvery);
    }

    /** Both fractions per layer index, NaN where they do not apply. */
    record Fractions(double[] saturated, double[] dead) {}

    Fractions measure(BuiltNetwork network) {
        List<LayerDescriptor> layers = network.layers();
        double[] saturated = new double[layers.size()];
        double[] dead = new double[layers.size()];
        Arrays.fill(saturated, Double.NaN);
        Arrays.fill(dead, Double.NaN);
        boolean saturates =
                activation == Activation.SIGMOID || activation == Activation.TANH || activation == Activation.ELU;
        boolean dies = activation == Activation.RELU;
        if (!saturates && !dies) {
            return new Fractions(saturated, dead);
        }
        Map<Integer, INDArray> outputs = network.nonlinearityOutputs(features);
        for (Map.Entry<Integer, INDArray> e : outputs.entrySet()) {
            INDArray a = e.getValue();
            values = FlatReader.readFloats(a, values);
            int n = Math.toIntExact(a.length());
            int batch = (int) a.size(0);
            int units = (int) a.size(1);
            int steps = a.rank() == 3 ? (int) a.size(2) : 1;
            if (saturates) {
                saturated[e.getKey()] = (double) countSaturated(values, n) / n;
            } else {
                dead[e.getKey()] = deadShare(values, batch, units, steps);
            }
        }
        return new Fractions(saturated, dead);
    }

    private int countSaturated(float[] a, int n) {
        int count = 0;
        for (int k = 0; k < n; k++) {
            double v = a[k];
            boolean s = switch (activation) {
                case SIGMOID -> Math.abs(v - 0.5) >= SIGMOID_SATURATED;
                case TANH -> Math.abs(v) >= TANH_SATURATED;
                default -> v <= ELU_SATURATED; // elu: only its negative side flattens
            };
            if (s) {
                count++;
            }
        }
        return count;
    }

    /** Layout [batch, units] or [batch, units, steps] in C order. */
    private static double deadShare(float[] a, int batch, int units, int steps) {
        boolean[] alive = new boolean[units];
        for (int b = 0; b < batch; b++) {
            for (int u = 0; u < units; u++) {
                if (alive[u]) {
                    continue;
                }
                int row = (b * units + u) * steps;
                for (int t = 0; t < steps; t++) {
                    if (a[row + t] > 0) {
                        alive[u] = true;
                        break;
                    }
                }
            }
        }
        int deadUnits = 0;
        for (boolean x : alive) {
            if (!x) {
                deadUnits++;
            }
        }
        return (double) deadUnits / units;
    }
}
