package dev.gradlab.training;

import dev.gradlab.network.BuiltNetwork;
import dev.gradlab.network.LayerDescriptor;
import dev.gradlab.network.LayerKind;
import dev.gradlab.spec.Activation;
import dev.gradlab.spec.RnnCell;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
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
 * It also records what the theory of vanishing gradients multiplies together, so a run's measured gradient profile
 * can be set beside the one its own parameters predict:
 * <ul>
 *   <li><b>mean activation derivative</b>: the mean of φ′(z) over the same pre-activations, computed from the
 *       activation a = φ(z): a(1 − a) for sigmoid, 1 − a² for tanh, 1 or 0 for relu, 1 or 0.01 (DL4J's slope) for
 *       leaky relu, 1 or a + 1 for elu, 1 for identity. Not for LSTM layers, whose output is not φ(z).</li>
 *   <li><b>weight scale</b> of dense, output and recurrent layers: ‖W‖_F/√n_out, the factor by which Wᵀ scales the
 *       norm of a back-propagated vector whose mass is spread over the n_out units (1 for a square matrix with
 *       Xavier's variance 1/n).</li>
 *   <li><b>recurrent spectral norm</b> of a simple recurrent layer: λ₁, W_rec's largest singular value, by power
 *       iteration; Pascanu et al. (2013) bound ‖∂h_t/∂h_k‖ by (γ·λ₁)^(t−k).</li>
 * </ul>
 * A statistic that does not apply to the layer (or a layer without a nonlinearity: batch norm, the output
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

    /** DL4J's default negative-side slope of leaky relu, which the network factory keeps. */
    static final double LEAKY_RELU_SLOPE = 0.01;
    /** Power iteration stops when λ₁ changes by less than this, relatively, or after {@link #POWER_STEPS}. */
    private static final double POWER_TOLERANCE = 1e-7;

    private static final int POWER_STEPS = 200;

    private final INDArray features;
    private final Activation activation;
    private final boolean lstm;
    private float[] values;

    ActivationProbe(INDArray features, Activation activation, RnnCell cell) {
        this.features = features;
        this.activation = activation;
        this.lstm = cell == RnnCell.LSTM;
    }

    /** Probe every this many iterations: a multiple of metrics.every, at least {@link #MIN_SPACING}. */
    static int every(int metricsEvery) {
        return metricsEvery * Math.max(1, (MIN_SPACING + metricsEvery - 1) / metricsEvery);
    }

    /** Each statistic per layer index, NaN where it does not apply. */
    record Measurements(
            double[] saturated,
            double[] dead,
            double[] derivativeMean,
            double[] weightScale,
            double[] recurrentSpectralNorm) {}

    Measurements measure(BuiltNetwork network) {
        List<LayerDescriptor> layers = network.layers();
        double[] saturated = nans(layers.size());
        double[] dead = nans(layers.size());
        double[] derivative = nans(layers.size());
        double[] scale = nans(layers.size());
        double[] spectral = nans(layers.size());
        boolean saturates =
                activation == Activation.SIGMOID || activation == Activation.TANH || activation == Activation.ELU;
        boolean dies = activation == Activation.RELU;
        Map<Integer, INDArray> outputs = network.nonlinearityOutputs(features);
        for (Map.Entry<Integer, INDArray> e : outputs.entrySet()) {
            INDArray a = e.getValue();
            values = FlatReader.readFloats(a, values);
            int n = Math.toIntExact(a.length());
            int batch = (int) a.size(0);
            int units = (int) a.size(1);
            int steps = a.rank() == 3 ? (int) a.size(2) : 1;
            boolean lstmLayer = lstm && layers.get(e.getKey()).kind() == LayerKind.RECURRENT;
            if (!lstmLayer) {
                derivative[e.getKey()] = meanDerivative(values, n);
            }
            if (saturates) {
                saturated[e.getKey()] = (double) countSaturated(values, n) / n;
            } else if (dies) {
                dead[e.getKey()] = deadShare(values, batch, units, steps);
            }
        }
        for (LayerDescriptor layer : layers) {
            if (layer.kind() == LayerKind.BATCH_NORM) {
                continue;
            }
            INDArray w = network.layer(layer.name()).getParam(layer.weight().key());
            scale[layer.index()] = w.norm2Number().doubleValue() / Math.sqrt(w.size(1));
            if (layer.recurrentWeight() != null && !lstm) {
                spectral[layer.index()] = largestSingularValue(network.layer(layer.name())
                        .getParam(layer.recurrentWeight().key()));
            }
        }
        return new Measurements(saturated, dead, derivative, scale, spectral);
    }

    private static double[] nans(int n) {
        double[] a = new double[n];
        Arrays.fill(a, Double.NaN);
        return a;
    }

    /** Mean of φ′(z) over the probe, from a = φ(z) (every φ here has a derivative that is a function of a). */
    private double meanDerivative(float[] a, int n) {
        double sum = 0;
        for (int k = 0; k < n; k++) {
            double v = a[k];
            sum += switch (activation) {
                case SIGMOID -> v * (1 - v);
                case TANH -> 1 - v * v;
                case RELU -> v > 0 ? 1 : 0;
                case LEAKYRELU -> v > 0 ? 1 : LEAKY_RELU_SLOPE;
                case ELU -> v > 0 ? 1 : v + 1;
                case IDENTITY -> 1;
            };
        }
        return sum / n;
    }

    /**
     * λ₁ of a square matrix by power iteration on WᵀW, in double, from a fixed start vector (so repeated runs
     * agree); NaN for a non-square one. With W_rec orthogonal times a scale (GradLab's initialisation) every
     * singular value is the scale and the first step is exact.
     */
    static double largestSingularValue(INDArray matrix) {
        if (matrix.rank() != 2 || matrix.size(0) != matrix.size(1)) {
            return Double.NaN;
        }
        int n = (int) matrix.size(0);
        double[] w = FlatReader.read(matrix, null); // row-major: w[i * n + j] = W[i][j]
        double[] v = new double[n];
        SplittableRandom start = new SplittableRandom(1);
        for (int i = 0; i < n; i++) {
            v[i] = 0.5 + start.nextDouble();
        }
        normalise(v);
        double[] u = new double[n];
        double sigma = 0;
        for (int step = 0; step < POWER_STEPS; step++) {
            for (int i = 0; i < n; i++) { // u = W v
                double s = 0;
                for (int j = 0; j < n; j++) {
                    s += w[i * n + j] * v[j];
                }
                u[i] = s;
            }
            double next = norm(u);
            if (next == 0 || !Double.isFinite(next)) {
                return next;
            }
            Arrays.fill(v, 0); // v = Wᵀ u / ‖Wᵀ u‖
            for (int i = 0; i < n; i++) {
                double ui = u[i];
                for (int j = 0; j < n; j++) {
                    v[j] += w[i * n + j] * ui;
                }
            }
            normalise(v);
            boolean converged = Math.abs(next - sigma) <= POWER_TOLERANCE * next;
            sigma = next;
            if (converged) {
                break;
            }
        }
        return sigma;
    }

    private static double norm(double[] x) {
        double s = 0;
        for (double e : x) {
            s += e * e;
        }
        return Math.sqrt(s);
    }

    private static void normalise(double[] x) {
        double n = norm(x);
        if (n > 0) {
            for (int i = 0; i < x.length; i++) {
                x[i] /= n;
            }
        }
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
