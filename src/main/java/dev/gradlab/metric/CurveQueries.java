package dev.gradlab.metric;

import dev.gradlab.training.EpochMetrics;
import dev.gradlab.training.LayerInfo;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Service;

/** Reads stored series back as plot-ready, columnar, downsampled curves. */
@Service
public class CurveQueries {

    private final MetricStore store;

    CurveQueries(MetricStore store) {
        this.store = store;
    }

    public LossCurve loss(UUID jobId, long from, long to, int maxPoints) {
        SeriesBuilder.Series s = store.read(jobId, MetricSeries.LOSS, from, to)
                .getOrDefault(MetricSeries.NO_LAYER, new SeriesBuilder.Series(new long[0], new double[0]));
        int[] keep = Downsampler.select(s.values(), maxPoints);
        List<Long> iterations = new ArrayList<>(keep.length);
        List<Double> values = new ArrayList<>(keep.length);
        List<NonFiniteValue> nonFinite = new ArrayList<>();
        for (int i : keep) {
            iterations.add(s.iterations()[i]);
            addValue(values, nonFinite, s.values()[i]);
        }
        return new LossCurve(jobId, s.size(), keep.length < s.size(), iterations, values, nonFinite,
                epochs(store.epochs(jobId)));
    }

    private static EpochCurve epochs(List<EpochMetrics> epochs) {
        return new EpochCurve(
                epochs.stream().map(EpochMetrics::epoch).toList(),
                epochs.stream().map(EpochMetrics::iteration).toList(),
                epochs.stream().map(EpochMetrics::trainAccuracy).toList(),
                epochs.stream().map(EpochMetrics::testAccuracy).toList(),
                epochs.stream().map(EpochMetrics::elapsedMillis).toList());
    }

    /** @param asNorms name each layer's array {@code norms} (the gradients endpoint) rather than {@code values} */
    public LayerCurves layers(UUID jobId, MetricSeries stat, long from, long to, int maxPoints, boolean asNorms) {
        List<LayerInfo> layers = store.layers(jobId);
        Map<Integer, SeriesBuilder.Series> byLayer = store.read(jobId, stat, from, to);
        long[] axis = byLayer.values().stream().map(SeriesBuilder.Series::iterations)
                .max((a, b) -> Integer.compare(a.length, b.length)).orElse(new long[0]);
        int n = axis.length;
        boolean downsampled = n > maxPoints;
        int[][] buckets = downsampled ? Downsampler.buckets(n, maxPoints) : null;

        List<Long> iterations = new ArrayList<>();
        if (downsampled) {
            iterations.add(axis[0]);
            for (int[] b : buckets) {
                iterations.add(axis[b[0]]);
                iterations.add(axis[b[1] - 1]);
            }
            iterations.add(axis[n - 1]);
        } else {
            for (long it : axis) {
                iterations.add(it);
            }
        }
        List<LayerCurve> curves = new ArrayList<>(layers.size());
        for (LayerInfo layer : layers) {
            double[] aligned = align(axis, byLayer.get(layer.index()));
            List<Double> values = new ArrayList<>(iterations.size());
            List<NonFiniteValue> nonFinite = new ArrayList<>();
            if (downsampled) {
                addValue(values, nonFinite, aligned[0]);
                for (int[] b : buckets) {
                    for (int i : Downsampler.extremes(aligned, b[0], b[1])) {
                        addValue(values, nonFinite, aligned[i]);
                    }
                }
                addValue(values, nonFinite, aligned[n - 1]);
            } else {
                for (double v : aligned) {
                    addValue(values, nonFinite, v);
                }
            }
            curves.add(new LayerCurve(layer.index(), layer.name(), layer.kind(),
                    asNorms ? values : null, asNorms ? null : values, nonFinite));
        }
        return new LayerCurves(jobId, stat.key(), n, downsampled, iterations, curves);
    }

    public TimestepIterations timestepIterations(UUID jobId) {
        return new TimestepIterations(jobId, store.timestepIterations(jobId));
    }

    /**
     * The per-step gradient vector recorded at {@code iteration}; without one, the first recorded. Empty when the
     * job has none (an MLP, or nothing recorded yet). @throws java.util.NoSuchElementException if that iteration
     * has no vector
     */
    public TimestepCurve timesteps(UUID jobId, Long iteration) {
        List<Long> recorded = store.timestepIterations(jobId);
        if (iteration == null && recorded.isEmpty()) {
            return new TimestepCurve(jobId, 0, List.of(), List.of(), List.of());
        }
        long at = iteration == null ? recorded.get(0) : iteration;
        double[] norms = store.timestepGradients(jobId, at);
        if (norms == null) {
            throw new java.util.NoSuchElementException("no per-step gradients recorded at iteration " + at
                    + "; recorded: " + summarise(recorded));
        }
        List<Integer> steps = new ArrayList<>(norms.length);
        List<Double> values = new ArrayList<>(norms.length);
        List<NonFiniteValue> nonFinite = new ArrayList<>();
        for (int t = 0; t < norms.length; t++) {
            steps.add(t + 1);
            addValue(values, nonFinite, norms[t]);
        }
        return new TimestepCurve(jobId, at, steps, values, nonFinite);
    }

    private static String summarise(List<Long> iterations) {
        if (iterations.isEmpty()) {
            return "none";
        }
        if (iterations.size() <= 10) {
            return iterations.toString();
        }
        return iterations.subList(0, 5) + "… (" + iterations.size() + " in all, see /curves/timesteps/iterations)";
    }

    /** A layer's values on the shared axis; a missing point is {@link #MISSING}. */
    private static double[] align(long[] axis, SeriesBuilder.Series s) {
        double[] out = new double[axis.length];
        Arrays.fill(out, MISSING);
        if (s == null) {
            return out;
        }
        if (Arrays.equals(axis, s.iterations())) {
            return s.values().clone();
        }
        Map<Long, Integer> position = new HashMap<>();
        for (int i = 0; i < axis.length; i++) {
            position.put(axis[i], i);
        }
        for (int i = 0; i < s.size(); i++) {
            Integer p = position.get(s.iterations()[i]);
            if (p != null) {
                out[p] = s.values()[i];
            }
        }
        return out;
    }

    /**
     * Marks "no value recorded" inside a double[]: a NaN with a payload no arithmetic produces, told apart from a
     * real NaN by its bits.
     */
    private static final double MISSING = Double.longBitsToDouble(0x7ff8dead00000000L);

    private static void addValue(List<Double> values, List<NonFiniteValue> nonFinite, double v) {
        if (Double.doubleToRawLongBits(v) == Double.doubleToRawLongBits(MISSING)) {
            values.add(null);
        } else if (Double.isFinite(v)) {
            values.add(v);
        } else {
            nonFinite.add(new NonFiniteValue(values.size(), NonFiniteValue.spell(v)));
            values.add(null);
        }
    }
}
