package dev.gradlab.profile;

import dev.gradlab.curve.CurveQueries;
import dev.gradlab.curve.IterationNotRecordedException;
import dev.gradlab.curve.LayerHistory;
import dev.gradlab.curve.LayerPoints;
import dev.gradlab.curve.TimestepProfile;
import dev.gradlab.spec.Activation;
import dev.gradlab.spec.BlockStyle;
import dev.gradlab.spec.ExperimentSpec;
import dev.gradlab.spec.ModelSpec;
import dev.gradlab.spec.RnnCell;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Service;

/**
 * Builds a job's depth profile (MLP) or time profile (RNN) at one recorded iteration from its stored curves, fits
 * the slope, and predicts it from the factors the activation probe recorded at the nearest probe iteration at or
 * before it (every metrics.every·⌈20/metrics.every⌉ iterations, and the first and last).
 */
@Service
public class GradientProfiles {

    /** The depth profile's default statistic; biasGradientNorm is the back-propagated error δ alone. */
    public static final String WEIGHT_GRADIENT = "weightGradientNorm";

    public static final String BIAS_GRADIENT = "biasGradientNorm";
    /** How the time profile's statistic is named in responses: ‖∂L/∂x_t‖. */
    public static final String INPUT_GRADIENT = "inputGradientNorm";

    private static final String DERIVATIVE = "activationDerivativeMean";
    private static final String SCALE = "weightScale";
    private static final String SPECTRAL = "recurrentSpectralNorm";
    /** The probe runs at most this many iterations after a recorded one (ActivationProbe.MIN_SPACING). */
    private static final int PROBE_SPACING = 20;

    private final CurveQueries curves;

    GradientProfiles(CurveQueries curves) {
        this.curves = curves;
    }

    /** Which recorded iteration: the first, the last so far, or the last at or before a number. */
    public record At(Long iteration, boolean last) {
        public static final At FIRST = new At(null, false);
        public static final At LAST = new At(null, true);

        public static At iteration(long iteration) {
            return new At(iteration, false);
        }
    }

    /**
     * @param statistic for an MLP, {@link #WEIGHT_GRADIENT} or {@link #BIAS_GRADIENT}; ignored for an RNN
     * @throws IterationNotRecordedException if nothing is recorded at or before that iteration yet
     */
    public GradientProfile profile(UUID jobId, ExperimentSpec spec, String statistic, At at) {
        return spec.model().recurrent() ? timeProfile(jobId, spec, at) : depthProfile(jobId, spec, statistic, at);
    }

    // ---- depth (MLP) ----

    private GradientProfile depthProfile(UUID jobId, ExperimentSpec spec, String statistic, At at) {
        long p = recordedIteration(jobId, spec, statistic, at);
        List<LayerHistory.Layer> all = curves.layers(jobId, statistic, p, p, 2).layers();
        List<LayerHistory.Layer> dense = all.stream()
                .filter(l -> l.kind().equals("dense") || l.kind().equals("output"))
                .toList();
        int n = dense.size();
        double[] y = new double[n];
        List<Integer> positions = new ArrayList<>(n);
        List<GradientProfile.LayerRef> refs = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            positions.add(i + 1);
            refs.add(new GradientProfile.LayerRef(
                    dense.get(i).index(), dense.get(i).name()));
            y[i] = log10(last(dense.get(i).values()));
        }
        double[] x = stepsBack(n);
        SlopeFit fit = SlopeFit.of(x, y);

        ModelSpec model = spec.model();
        List<String> notes = new ArrayList<>();
        notes.add("The chain predicts the back-propagated error δ, whose norm biasGradientNorm follows; a weight "
                + "gradient also scales with its layer's input ‖a‖, which differs most at the first layer (the raw "
                + "features).");
        if (Boolean.TRUE.equals(model.residual())) {
            notes.add("The chain leaves out the identity path of x + F(x), which passes the gradient back unchanged: "
                    + "expect a flatter measured profile than predicted.");
        }
        if (Boolean.TRUE.equals(model.batchNorm())) {
            notes.add("The chain leaves out batch norm's backward pass, which rescales each unit by γ/σ of its batch: "
                    + "expect the measured profile to differ.");
        }
        List<Prediction> predictions = new ArrayList<>();
        Factors f = factors(jobId, spec, p, List.of(DERIVATIVE, SCALE));
        if (f == null) {
            notes.add(NO_FACTORS);
        } else {
            boolean pre = model.blockStyle() == BlockStyle.PRE;
            double bound = derivativeBound(model.activation());
            double[] estimate = new double[Math.max(0, n - 1)];
            double[] bounded = new double[Math.max(0, n - 1)];
            for (int i = 0; i + 1 < n; i++) { // from dense layer i+1 back to i (0-based)
                double derivative =
                        f.value(DERIVATIVE, refs.get(pre ? i + 1 : i).index());
                double scale = f.value(SCALE, refs.get(i + 1).index());
                estimate[i] = derivative * scale;
                bounded[i] = bound * scale;
            }
            if (allFinite(estimate)) {
                predictions.add(chain(Prediction.Method.CHAIN_ESTIMATE, x, y, estimate, f.iteration()));
            } else {
                notes.add("Some layer's derivative or weight scale was not recorded (e.g. the closing activation of "
                        + "pre-activation blocks), so the chain estimate is left out.");
            }
            if (allFinite(bounded)) {
                predictions.add(chain(Prediction.Method.CHAIN_BOUND, x, y, bounded, f.iteration()));
            }
        }
        return new GradientProfile(
                GradientProfile.Kind.DEPTH, statistic, p, positions, refs, boxed(y), fit, predictions, notes);
    }

    /**
     * The profile implied by per-layer factors, anchored at the measured top layer (NaN throughout if that is not
     * finite); its slope is fitted like the data's, on the factors alone.
     */
    private static Prediction chain(Prediction.Method method, double[] x, double[] y, double[] factors, long from) {
        int n = y.length;
        double[] relative = new double[n];
        for (int i = n - 2; i >= 0; i--) {
            relative[i] = relative[i + 1] + Math.log10(factors[i]);
        }
        double[] implied = new double[n];
        for (int i = 0; i < n; i++) {
            implied[i] = y[n - 1] + relative[i];
        }
        // A factor of 0 (a layer saturated through and through) cuts the gradient off: −∞ decades.
        boolean cut = Arrays.stream(factors).anyMatch(f -> f == 0);
        SlopeFit line = cut ? null : SlopeFit.of(x, relative);
        double slope = cut ? Double.NEGATIVE_INFINITY : line == null ? Double.NaN : line.slope();
        return new Prediction(method, slope, from, boxed(implied), boxed(factors));
    }

    // ---- time (RNN) ----

    private GradientProfile timeProfile(UUID jobId, ExperimentSpec spec, At at) {
        TimestepProfile measured = timesteps(jobId, at);
        long p = measured.iteration();
        int steps = measured.norms().size();
        double[] y = new double[steps];
        List<Integer> positions = new ArrayList<>(steps);
        for (int t = 0; t < steps; t++) {
            positions.add(t + 1);
            Double v = measured.norms().get(t);
            y[t] = log10(v == null ? Double.NaN : v);
        }
        double[] x = stepsBack(steps);
        SlopeFit fit = SlopeFit.of(x, y);
        List<String> notes = new ArrayList<>();
        List<Prediction> predictions = new ArrayList<>();
        ModelSpec model = spec.model();
        if (model.cell() == RnnCell.LSTM) {
            notes.add("Pascanu et al.'s bound is for a simple recurrent cell; an LSTM's cell state is carried back "
                    + "through its forget gate instead of W_rec and the activation, so no slope is predicted.");
        } else {
            Factors f = factors(jobId, spec, p, List.of(DERIVATIVE, SPECTRAL));
            if (f == null) {
                notes.add(NO_FACTORS);
            } else {
                // A path from the loss back to x_1 takes T − 1 steps back in time, each in some layer: the largest
                // per-step factor over the layers bounds them all.
                double gamma = derivativeBound(model.activation());
                double bound = Double.NaN;
                double estimate = Double.NaN;
                for (int layer : f.layers(SPECTRAL)) {
                    double lambda = f.value(SPECTRAL, layer);
                    bound = max(bound, gamma * lambda);
                    estimate = max(estimate, f.value(DERIVATIVE, layer) * lambda);
                }
                if (Double.isFinite(bound)) {
                    predictions.add(perStep(Prediction.Method.PASCANU_BOUND, y, bound, f.iteration()));
                } else {
                    notes.add("W_rec's largest singular value was not finite at iteration " + f.iteration()
                            + ": no prediction.");
                }
                if (Double.isFinite(estimate)) {
                    predictions.add(perStep(Prediction.Method.MEAN_DERIVATIVE_ESTIMATE, y, estimate, f.iteration()));
                }
                if (model.depth() != null && model.depth() > 1) {
                    notes.add("With stacked recurrent layers the per-step factor is the largest over the layers.");
                }
                notes.add("The bound holds for ‖∂h_t/∂h_k‖; the measured ‖∂L/∂x_t‖ adds the input weights and the "
                        + "loss's own dependence on each step, and the adding task's loss reads the last step only.");
            }
        }
        return new GradientProfile(
                GradientProfile.Kind.TIME, INPUT_GRADIENT, p, positions, List.of(), boxed(y), fit, predictions, notes);
    }

    private static Prediction perStep(Prediction.Method method, double[] y, double factor, long from) {
        int n = y.length;
        double slope = Math.log10(factor);
        double[] implied = new double[n];
        for (int t = 0; t < n; t++) {
            implied[t] = y[n - 1] + (n - 1 - t) * slope;
        }
        return new Prediction(method, slope, from, boxed(implied), List.of(factor));
    }

    private TimestepProfile timesteps(UUID jobId, At at) {
        if (at.last()) {
            List<TimestepProfile> tail = curves.timestepTail(jobId, 1);
            if (tail.isEmpty()) {
                throw notYet();
            }
            return tail.get(0);
        }
        if (at.iteration() == null) {
            TimestepProfile first = curves.firstTimesteps(jobId);
            if (first == null) {
                throw notYet();
            }
            return first;
        }
        long chosen = -1;
        for (long it : curves.timestepIterations(jobId)) {
            if (it <= at.iteration()) {
                chosen = it;
            }
        }
        if (chosen < 0) {
            throw notRecordedBy(at.iteration());
        }
        return curves.timesteps(jobId, chosen);
    }

    // ---- shared ----

    private static final String NO_FACTORS = "No prediction: the factors it needs (activationDerivativeMean, "
            + "weightScale, recurrentSpectralNorm) are not recorded for this job (jobs trained before they were "
            + "added have none).";

    /** The last iteration at or before {@code at} whose statistic was recorded for every layer. */
    private long recordedIteration(UUID jobId, ExperimentSpec spec, String statistic, At at) {
        if (at.iteration() == null) {
            return at.last() ? lastRecorded(jobId, statistic) : firstRecorded(jobId, statistic);
        }
        long k = at.iteration();
        int every = spec.metrics().every();
        // Recorded: 1, 1 + every, 1 + 2·every, … and the last; one of them lies in any window of `every`, unless
        // the window is past the last one recorded so far.
        LayerHistory window = curves.layers(jobId, statistic, Math.max(0, k - every), k, every + 3);
        List<Long> axis = window.iterations();
        if (!axis.isEmpty()) {
            return axis.get(axis.size() - 1);
        }
        long last = lastRecorded(jobId, statistic);
        if (last > k) {
            throw notRecordedBy(k);
        }
        return last;
    }

    private long firstRecorded(UUID jobId, String statistic) {
        return edge(curves.layerHead(jobId, statistic), false);
    }

    /** The last iteration every layer has recorded (a layer's newest chunk may lag by one flush). */
    private long lastRecorded(UUID jobId, String statistic) {
        return edge(curves.layerTail(jobId, statistic, 1), true);
    }

    private static long edge(LayerPoints points, boolean last) {
        return points.layers().stream()
                .flatMap(l -> l.iterations().stream())
                .mapToLong(Long::longValue)
                .reduce(last ? Math::min : Math::max)
                .orElseThrow(GradientProfiles::notYet);
    }

    /** The probe's statistics at iteration {@code iteration}: statistic → layer index → value (NaN: none). */
    private record Factors(long iteration, Map<String, Map<Integer, Double>> byStatistic) {

        double value(String statistic, int layerIndex) {
            return byStatistic.get(statistic).getOrDefault(layerIndex, Double.NaN);
        }

        List<Integer> layers(String statistic) {
            return byStatistic.get(statistic).entrySet().stream()
                    .filter(e -> Double.isFinite(e.getValue()))
                    .map(Map.Entry::getKey)
                    .sorted()
                    .toList();
        }
    }

    /**
     * The probe's statistics at its last run at or before {@code p}, or null if it has none there. The first
     * statistic's window says when that was (and gives its values); the others are read at that iteration.
     */
    private Factors factors(UUID jobId, ExperimentSpec spec, long p, List<String> statistics) {
        long from = Math.max(0, p - spec.metrics().every() - PROBE_SPACING);
        LayerHistory first = curves.layers(jobId, statistics.get(0), from, p, Integer.MAX_VALUE);
        if (first.iterations().isEmpty()) {
            return null;
        }
        long q = first.iterations().get(first.iterations().size() - 1);
        Map<String, Map<Integer, Double>> by = new HashMap<>();
        by.put(statistics.get(0), lastColumn(first));
        for (String s : statistics.subList(1, statistics.size())) {
            by.put(s, lastColumn(curves.layers(jobId, s, q, q, 2)));
        }
        return new Factors(q, by);
    }

    private static Map<Integer, Double> lastColumn(LayerHistory history) {
        Map<Integer, Double> out = new HashMap<>();
        history.layers().forEach(l -> out.put(l.index(), last(l.values())));
        return out;
    }

    /** γ: the largest value of the activation's derivative. */
    static double derivativeBound(Activation activation) {
        return activation == Activation.SIGMOID ? 0.25 : 1.0;
    }

    /** The last value of a curve read at one iteration (or a window ending there); NaN if none was recorded. */
    private static double last(List<Double> values) {
        Double v = values.isEmpty() ? null : values.get(values.size() - 1);
        return v == null ? Double.NaN : v;
    }

    private static double log10(double norm) {
        return Double.isNaN(norm) ? Double.NaN : Math.log10(norm); // log10(0) = −∞, log10(∞) = ∞
    }

    /** x = steps back from the top: L−1, …, 1, 0 for positions 1..L. */
    private static double[] stepsBack(int n) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = n - 1 - i;
        }
        return x;
    }

    private static boolean allFinite(double[] values) {
        return Arrays.stream(values).allMatch(v -> Double.isFinite(v) && v >= 0);
    }

    private static double max(double a, double b) {
        return Double.isNaN(a) ? b : Double.isNaN(b) ? a : Math.max(a, b);
    }

    private static List<Double> boxed(double[] values) {
        return Arrays.stream(values).boxed().toList();
    }

    private static IterationNotRecordedException notYet() {
        return new IterationNotRecordedException("no gradients recorded yet: the first is recorded at the first "
                + "iteration, about a second after the job starts");
    }

    private static IterationNotRecordedException notRecordedBy(long k) {
        return new IterationNotRecordedException("no gradients recorded at or before iteration " + k);
    }
}
