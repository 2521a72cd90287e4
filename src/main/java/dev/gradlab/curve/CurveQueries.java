package dev.gradlab.curve;

import dev.gradlab.metric.MetricSeries;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;
import org.springframework.stereotype.Service;

/**
 * Reads stored series back as columnar, downsampled curves. Values stay doubles as recorded (NaN and ±Infinity
 * included); a layer that recorded nothing at a position reads null.
 */
@Service
public class CurveQueries {

    private static final List<String> LAYER_STATS =
            MetricSeries.layerSeries().stream().map(MetricSeries::key).toList();
    private static final List<String> GRADIENT_STATS = MetricSeries.layerSeries().stream()
            .filter(MetricSeries::gradientNorm)
            .map(MetricSeries::key)
            .toList();

    private final CurveStore store;
    private final Timer lossQueries;
    private final Timer gradientQueries;
    private final Timer layerQueries;
    private final Timer timestepQueries;
    private final Timer timestepIterationQueries;

    CurveQueries(CurveStore store, MeterRegistry registry) {
        this.store = store;
        this.lossQueries = queryTimer(registry, "loss");
        this.gradientQueries = queryTimer(registry, "gradients");
        this.layerQueries = queryTimer(registry, "layers");
        this.timestepQueries = queryTimer(registry, "timesteps");
        this.timestepIterationQueries = queryTimer(registry, "timestep-iterations");
    }

    /** The time one curve request spends reading and downsampling (its HTTP time is http.server.requests). */
    private static Timer queryTimer(MeterRegistry registry, String curve) {
        return Timer.builder("gradlab.curves.query")
                .description("Reading and downsampling one curve for a client")
                .tag("curve", curve)
                .register(registry);
    }

    /** Every per-layer statistic, in a stable order. */
    public static List<String> layerStatistics() {
        return LAYER_STATS;
    }

    /** The gradient-norm statistics (before or after clipping; W, b or W_rec), a subset of the above. */
    public static List<String> gradientStatistics() {
        return GRADIENT_STATS;
    }

    public LossHistory loss(UUID jobId, long from, long to, int maxPoints) {
        return lossQueries.record(() -> readLoss(jobId, from, to, maxPoints));
    }

    private LossHistory readLoss(UUID jobId, long from, long to, int maxPoints) {
        SeriesBuilder.Series s = store.read(jobId, MetricSeries.LOSS, from, to)
                .getOrDefault(MetricSeries.NO_LAYER, new SeriesBuilder.Series(new long[0], new double[0]));
        int[] keep = Downsampler.select(s.values(), maxPoints);
        List<Long> iterations = new ArrayList<>(keep.length);
        List<Double> values = new ArrayList<>(keep.length);
        for (int i : keep) {
            iterations.add(s.iterations()[i]);
            values.add(s.values()[i]);
        }
        return new LossHistory(s.size(), keep.length < s.size(), iterations, values, store.epochs(jobId));
    }

    /** Train and test accuracy at the end of each completed epoch, in order. */
    public List<EpochAccuracy> epochs(UUID jobId) {
        return store.epochs(jobId);
    }

    /**
     * The first iteration whose minibatch loss is at most {@code target} (a non-finite loss never is), or empty if
     * none is; reads the job's whole loss series.
     */
    public OptionalLong firstIterationWithLossAtMost(UUID jobId, double target) {
        SeriesBuilder.Series s =
                store.read(jobId, MetricSeries.LOSS, 0, Long.MAX_VALUE).get(MetricSeries.NO_LAYER);
        if (s != null) {
            for (int i = 0; i < s.size(); i++) {
                if (s.values()[i] <= target) {
                    return OptionalLong.of(s.iterations()[i]);
                }
            }
        }
        return OptionalLong.empty();
    }

    /** @throws UnknownStatisticException unless {@code stat} is one of {@link #gradientStatistics()} */
    public LayerHistory gradients(UUID jobId, String stat, long from, long to, int maxPoints) {
        return gradientQueries.record(() -> layers(jobId, series(stat, GRADIENT_STATS), from, to, maxPoints));
    }

    /** @throws UnknownStatisticException unless {@code stat} is one of {@link #layerStatistics()} */
    public LayerHistory layers(UUID jobId, String stat, long from, long to, int maxPoints) {
        return layerQueries.record(() -> layers(jobId, series(stat, LAYER_STATS), from, to, maxPoints));
    }

    /** @throws UnknownStatisticException unless {@code stat} is one of {@link #gradientStatistics()} */
    public static void requireGradientStatistic(String stat) {
        series(stat, GRADIENT_STATS);
    }

    /** @throws UnknownStatisticException unless {@code stat} is one of {@link #layerStatistics()} */
    public static void requireLayerStatistic(String stat) {
        series(stat, LAYER_STATS);
    }

    private static MetricSeries series(String stat, List<String> allowed) {
        if (!allowed.contains(stat)) {
            throw new UnknownStatisticException(stat, allowed);
        }
        return MetricSeries.fromKey(stat).orElseThrow();
    }

    private LayerHistory layers(UUID jobId, MetricSeries stat, long from, long to, int maxPoints) {
        List<CurveStore.StoredLayer> layers = store.layers(jobId);
        Map<Integer, SeriesBuilder.Series> byLayer = store.read(jobId, stat, from, to);
        long[] axis = union(byLayer.values());
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
        List<LayerHistory.Layer> curves = new ArrayList<>(layers.size());
        for (CurveStore.StoredLayer layer : layers) {
            double[] aligned = align(axis, byLayer.get(layer.index()));
            List<Double> values = new ArrayList<>(iterations.size());
            if (downsampled) {
                values.add(value(aligned[0]));
                for (int[] b : buckets) {
                    for (int i : Downsampler.extremes(aligned, b[0], b[1])) {
                        values.add(value(aligned[i]));
                    }
                }
                values.add(value(aligned[n - 1]));
            } else {
                for (double v : aligned) {
                    values.add(value(v));
                }
            }
            curves.add(new LayerHistory.Layer(layer.index(), layer.name(), layer.kind(), values));
        }
        return new LayerHistory(stat.key(), n, downsampled, iterations, curves);
    }

    /**
     * The last {@code points} recorded values of one per-layer statistic, for every layer that recorded it, read
     * from the last two chunks of each layer only: the cost does not grow with the length of the run.
     *
     * @throws UnknownStatisticException unless {@code stat} is one of {@link #layerStatistics()}
     */
    public LayerPoints layerTail(UUID jobId, String stat, int points) {
        return layerPoints(jobId, store.readTail(jobId, series(stat, LAYER_STATS)), stat, points, false);
    }

    /**
     * The first recorded value of one per-layer statistic (iteration 1 for the statistics recorded every
     * {@code metrics.every}-th iteration: the initial weights), read from each layer's first chunk only.
     *
     * @throws UnknownStatisticException unless {@code stat} is one of {@link #layerStatistics()}
     */
    public LayerPoints layerHead(UUID jobId, String stat) {
        return layerPoints(jobId, store.readHead(jobId, series(stat, LAYER_STATS)), stat, 1, true);
    }

    private LayerPoints layerPoints(
            UUID jobId, Map<Integer, SeriesBuilder.Series> byLayer, String stat, int points, boolean head) {
        List<LayerPoints.Layer> layers = new ArrayList<>();
        for (CurveStore.StoredLayer layer : store.layers(jobId)) {
            SeriesBuilder.Series s = byLayer.get(layer.index());
            if (s != null && s.size() > 0) {
                int from = head ? 0 : Math.max(0, s.size() - points);
                int to = head ? Math.min(points, s.size()) : s.size();
                layers.add(new LayerPoints.Layer(
                        layer.index(),
                        layer.name(),
                        layer.kind(),
                        boxed(s.iterations(), from, to),
                        boxed(s.values(), from, to)));
            }
        }
        return new LayerPoints(stat, layers);
    }

    /** The last {@code points} recorded losses (every iteration records one), ascending. */
    public LossTail lossTail(UUID jobId, int points) {
        SeriesBuilder.Series s = store.readTail(jobId, MetricSeries.LOSS).get(MetricSeries.NO_LAYER);
        if (s == null) {
            return new LossTail(List.of(), List.of());
        }
        int from = Math.max(0, s.size() - points);
        return new LossTail(boxed(s.iterations(), from, s.size()), boxed(s.values(), from, s.size()));
    }

    /** The last {@code count} per-step gradient vectors, by ascending iteration (empty for an MLP job). */
    public List<TimestepProfile> timestepTail(UUID jobId, int count) {
        return store.timestepTail(jobId, count);
    }

    /** The first per-step gradient vector recorded (iteration 1: the initial weights), or null (an MLP job). */
    public TimestepProfile firstTimesteps(UUID jobId) {
        return store.timestepHead(jobId);
    }

    /**
     * One epoch's accuracies (numbered from 1; a job's progress says how many it has completed), or null if that
     * epoch is not stored.
     */
    public EpochAccuracy epoch(UUID jobId, int epoch) {
        return store.epoch(jobId, epoch);
    }

    private static List<Long> boxed(long[] values, int from, int to) {
        return Arrays.stream(values, from, to).boxed().toList();
    }

    private static List<Double> boxed(double[] values, int from, int to) {
        return Arrays.stream(values, from, to).boxed().toList();
    }

    /** Iterations that have a per-step gradient vector, ascending (empty for an MLP job). */
    public List<Long> timestepIterations(UUID jobId) {
        return timestepIterationQueries.record(() -> store.timestepIterations(jobId));
    }

    /**
     * The per-step gradient vector recorded at {@code iteration}; without one, the first recorded.
     *
     * @throws IterationNotRecordedException if that iteration has none, or none is recorded yet
     */
    public TimestepProfile timesteps(UUID jobId, Long iteration) {
        return timestepQueries.record(() -> readTimesteps(jobId, iteration));
    }

    private TimestepProfile readTimesteps(UUID jobId, Long iteration) {
        List<Long> recorded = store.timestepIterations(jobId);
        if (iteration == null && recorded.isEmpty()) {
            throw new IterationNotRecordedException("no per-step gradients recorded yet: the first is recorded "
                    + "before the first update, about a second after the job starts");
        }
        long at = iteration == null ? recorded.get(0) : iteration;
        double[] norms = store.timestepGradients(jobId, at);
        if (norms == null) {
            throw new IterationNotRecordedException(
                    "no per-step gradients recorded at iteration " + at + "; recorded: " + summarise(recorded));
        }
        return new TimestepProfile(at, Arrays.stream(norms).boxed().toList());
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

    /**
     * Every iteration at which any layer recorded, ascending: layers that record at different iterations all keep
     * their points (today every layer records at the same ones, and this is their common axis).
     */
    private static long[] union(java.util.Collection<SeriesBuilder.Series> series) {
        long[] longest = series.stream()
                .map(SeriesBuilder.Series::iterations)
                .max((a, b) -> Integer.compare(a.length, b.length))
                .orElse(new long[0]);
        if (series.stream().allMatch(s -> Arrays.equals(s.iterations(), longest))) {
            return longest; // the usual case, without sorting
        }
        return series.stream()
                .flatMapToLong(s -> Arrays.stream(s.iterations()))
                .sorted()
                .distinct()
                .toArray();
    }

    /** A layer's values on the shared axis; a missing point is {@link Downsampler#MISSING}. */
    private static double[] align(long[] axis, SeriesBuilder.Series s) {
        double[] out = new double[axis.length];
        Arrays.fill(out, Downsampler.MISSING);
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

    private static Double value(double v) {
        return Downsampler.missing(v) ? null : v;
    }
}
