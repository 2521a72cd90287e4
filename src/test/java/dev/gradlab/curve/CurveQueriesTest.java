package dev.gradlab.curve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gradlab.metric.MetricSeries;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * Curve queries over a store that answers from memory: layers aligned on one iteration axis, "not recorded"
 * (null) told apart from a recorded NaN, and downsampling that keeps every layer's spike.
 */
class CurveQueriesTest {

    private static final UUID JOB = UUID.randomUUID();

    /** A CurveStore that answers from maps instead of the database; a range is applied as the SQL would. */
    private static final class FakeStore extends CurveStore {
        final List<StoredLayer> layers = new ArrayList<>();
        final Map<MetricSeries, Map<Integer, long[]>> iterations = new HashMap<>();
        final Map<MetricSeries, Map<Integer, double[]>> values = new HashMap<>();
        final List<EpochAccuracy> epochs = new ArrayList<>();
        final Map<Long, double[]> timesteps = new HashMap<>();

        FakeStore() {
            super(null);
        }

        void put(MetricSeries series, int layer, long[] its, double[] vals) {
            iterations.computeIfAbsent(series, k -> new HashMap<>()).put(layer, its);
            values.computeIfAbsent(series, k -> new HashMap<>()).put(layer, vals);
        }

        @Override
        List<StoredLayer> layers(UUID jobId) {
            return layers;
        }

        @Override
        List<EpochAccuracy> epochs(UUID jobId) {
            return epochs;
        }

        @Override
        List<Long> timestepIterations(UUID jobId) {
            return timesteps.keySet().stream().sorted().toList();
        }

        @Override
        double[] timestepGradients(UUID jobId, long iteration) {
            return timesteps.get(iteration);
        }

        @Override
        Map<Integer, SeriesBuilder.Series> read(UUID jobId, MetricSeries series, long from, long to) {
            Map<Integer, SeriesBuilder.Series> out = new HashMap<>();
            iterations.getOrDefault(series, Map.of()).forEach((layer, its) -> {
                SeriesBuilder b = new SeriesBuilder(its.length);
                double[] vals = values.get(series).get(layer);
                for (int i = 0; i < its.length; i++) {
                    if (its[i] >= from && its[i] <= to) {
                        b.add(its[i], vals[i]);
                    }
                }
                out.put(layer, b.build());
            });
            return out;
        }
    }

    private static long[] range(long fromInclusive, long toInclusive) {
        return LongStream.rangeClosed(fromInclusive, toInclusive).toArray();
    }

    private static double[] constant(int n, double value) {
        double[] v = new double[n];
        Arrays.fill(v, value);
        return v;
    }

    private final FakeStore store = new FakeStore();
    private final CurveQueries curves =
            new CurveQueries(store, new io.micrometer.core.instrument.simple.SimpleMeterRegistry());

    {
        store.layers.add(new CurveStore.StoredLayer(0, "dense1", "dense"));
        store.layers.add(new CurveStore.StoredLayer(1, "dense2", "dense"));
        store.layers.add(new CurveStore.StoredLayer(2, "output", "output"));
    }

    @Test
    void layersShareTheLongestAxisAndAMissingPointReadsNullWhileARecordedNanReadsNan() {
        store.put(MetricSeries.ACTIVATION_MEAN, 0, new long[] {1, 2, 3, 4}, new double[] {0.1, Double.NaN, 0.3, 0.4});
        // layer 1 recorded only some of the iterations; the output layer has no activation series at all
        store.put(MetricSeries.ACTIVATION_MEAN, 1, new long[] {2, 4}, new double[] {Double.POSITIVE_INFINITY, 2.4});

        LayerHistory h = curves.layers(JOB, "activationMean", 0, Long.MAX_VALUE, 1000);

        assertThat(h.stat()).isEqualTo("activationMean");
        assertThat(h.totalPoints()).isEqualTo(4);
        assertThat(h.downsampled()).isFalse();
        assertThat(h.iterations()).containsExactly(1L, 2L, 3L, 4L);
        assertThat(h.layers()).extracting(LayerHistory.Layer::name).containsExactly("dense1", "dense2", "output");
        assertThat(h.layers().get(0).values()).containsExactly(0.1, Double.NaN, 0.3, 0.4);
        assertThat(h.layers().get(1).values()).containsExactly(null, Double.POSITIVE_INFINITY, null, 2.4);
        assertThat(h.layers().get(2).values()).containsExactly(null, null, null, null);
    }

    @Test
    void aStoredNanWithAnyPayloadIsStillNanNotMissing() {
        // NaNs differ in their bits; only the marker's exact bits mean "not recorded"
        double otherNan = Double.longBitsToDouble(0x7ff8dead00000001L);
        double negativeNan = Double.longBitsToDouble(0xfff8000000000000L);
        store.put(MetricSeries.WEIGHT_GRADIENT_NORM, 0, new long[] {1, 2}, new double[] {otherNan, negativeNan});
        store.put(MetricSeries.WEIGHT_GRADIENT_NORM, 1, new long[] {1, 2}, new double[] {1, 2});

        List<Double> values = curves.gradients(JOB, "weightGradientNorm", 0, Long.MAX_VALUE, 1000)
                .layers()
                .get(0)
                .values();

        assertThat(values).hasSize(2).allSatisfy(v -> assertThat(v).isNotNull().isNaN());
    }

    @Test
    void downsampledLayersKeepEachLayersSpikeAndNanAtTheBucketsPositions() {
        int n = 1000;
        long[] axis = range(1, n);
        double[] first = constant(n, 1e-12);
        first[400] = 5; // a spike at iteration 401
        double[] second = constant(n, 0.5);
        second[700] = Double.NaN; // iteration 701
        store.put(MetricSeries.WEIGHT_GRADIENT_NORM, 0, axis, first);
        store.put(MetricSeries.WEIGHT_GRADIENT_NORM, 1, axis, second);

        LayerHistory h = curves.gradients(JOB, "weightGradientNorm", 0, Long.MAX_VALUE, 50);

        assertThat(h.downsampled()).isTrue();
        assertThat(h.totalPoints()).isEqualTo(n);
        assertThat(h.iterations()).hasSizeLessThanOrEqualTo(50).startsWith(1L).endsWith((long) n);
        for (int i = 1; i < h.iterations().size(); i++) {
            assertThat(h.iterations().get(i)).isGreaterThan(h.iterations().get(i - 1));
        }
        for (LayerHistory.Layer layer : h.layers()) {
            assertThat(layer.values()).as(layer.name()).hasSameSizeAs(h.iterations());
        }
        assertThat(h.layers().get(0).values()).contains(5.0);
        assertThat(h.layers().get(1).values())
                .anySatisfy(v -> assertThat(v).isNotNull().isNaN());
        assertThat(h.layers().get(2).values()).as("never recorded").containsOnlyNulls();
    }

    @Test
    void downsampledAxisIsStrictlyAscendingAndWithinMaxPointsWhateverTheLength() {
        for (int n = 3; n < 400; n += 13) {
            store.put(MetricSeries.UPDATE_RATIO, 0, range(1, n), constant(n, 1));
            for (int maxPoints = 2; maxPoints < n + 3; maxPoints += 5) {
                LayerHistory h = curves.layers(JOB, "updateRatio", 0, Long.MAX_VALUE, maxPoints);
                String what = "n " + n + ", maxPoints " + maxPoints;
                assertThat(h.iterations()).as(what).hasSizeLessThanOrEqualTo(maxPoints);
                for (int i = 1; i < h.iterations().size(); i++) {
                    assertThat(h.iterations().get(i))
                            .as(what)
                            .isGreaterThan(h.iterations().get(i - 1));
                }
                assertThat(h.layers().get(0).values()).as(what).hasSameSizeAs(h.iterations());
            }
        }
    }

    @Test
    void rangeLimitsTheAxis() {
        store.put(MetricSeries.WEIGHT_GRADIENT_NORM, 0, range(1, 10), constant(10, 1));
        LayerHistory h = curves.gradients(JOB, "weightGradientNorm", 4, 6, 1000);
        assertThat(h.iterations()).containsExactly(4L, 5L, 6L);
        assertThat(h.totalPoints()).isEqualTo(3);
    }

    @Test
    void aJobWithoutPointsHasAnEmptyAxisAndItsLayers() {
        LayerHistory h = curves.layers(JOB, "updateRatio", 0, Long.MAX_VALUE, 2);
        assertThat(h.iterations()).isEmpty();
        assertThat(h.downsampled()).isFalse();
        assertThat(h.layers()).hasSize(3).allSatisfy(l -> assertThat(l.values()).isEmpty());
    }

    @Test
    void lossKeepsNonFiniteValuesAndCountsThePointsBeforeDownsampling() {
        int n = 300;
        double[] loss = new double[n];
        for (int i = 0; i < n; i++) {
            loss[i] = 2.0 / (i + 1);
        }
        loss[150] = Double.POSITIVE_INFINITY;
        store.put(MetricSeries.LOSS, MetricSeries.NO_LAYER, range(1, n), loss);
        store.epochs.add(new EpochAccuracy(1, 100, 0.5, 0.4, 10));

        LossHistory h = curves.loss(JOB, 0, Long.MAX_VALUE, 20);

        assertThat(h.totalPoints()).isEqualTo(n);
        assertThat(h.downsampled()).isTrue();
        assertThat(h.iterations()).hasSameSizeAs(h.values()).hasSizeLessThanOrEqualTo(20);
        assertThat(h.iterations()).contains(151L).startsWith(1L).endsWith((long) n);
        assertThat(h.values()).contains(Double.POSITIVE_INFINITY);
        int at = h.iterations().indexOf(151L);
        assertThat(h.values().get(at))
                .as("a value stays with its own iteration")
                .isInfinite();
        assertThat(h.epochs()).containsExactly(new EpochAccuracy(1, 100, 0.5, 0.4, 10));

        LossHistory whole = curves.loss(JOB, 0, Long.MAX_VALUE, n);
        assertThat(whole.downsampled()).isFalse();
        assertThat(whole.values()).hasSize(n);
    }

    @Test
    void lossOfAJobWithoutPointsIsEmpty() {
        LossHistory h = curves.loss(JOB, 0, Long.MAX_VALUE, 10);
        assertThat(h.totalPoints()).isZero();
        assertThat(h.iterations()).isEmpty();
        assertThat(h.downsampled()).isFalse();
    }

    @Test
    void statisticsAreCheckedAgainstTheirCurve() {
        assertThatThrownBy(() -> curves.gradients(JOB, "activationMean", 0, 10, 10))
                .isInstanceOf(UnknownStatisticException.class)
                .hasMessageContaining("weightGradientNorm")
                .hasMessageContaining("(was 'activationMean')");
        assertThatThrownBy(() -> curves.layers(JOB, "loss", 0, 10, 10)).isInstanceOf(UnknownStatisticException.class);
        assertThat(CurveQueries.gradientStatistics())
                .isSubsetOf(CurveQueries.layerStatistics())
                .allSatisfy(s -> assertThat(s).endsWith("GradientNorm"));
        assertThat(CurveQueries.layerStatistics()).doesNotContain("loss").contains("updateRatio");
    }

    @Test
    void timestepsDefaultToTheFirstRecordedIterationAndNameTheRecordedOnes() {
        assertThatThrownBy(() -> curves.timesteps(JOB, null))
                .isInstanceOf(IterationNotRecordedException.class)
                .hasMessageContaining("no per-step gradients recorded yet");

        store.timesteps.put(46L, new double[] {1, Double.NaN});
        store.timesteps.put(1L, new double[] {1e-30, 1});
        assertThat(curves.timestepIterations(JOB)).containsExactly(1L, 46L);
        assertThat(curves.timesteps(JOB, null)).isEqualTo(new TimestepProfile(1, List.of(1e-30, 1.0)));
        assertThat(curves.timesteps(JOB, 46L).norms()).containsExactly(1.0, Double.NaN);
        assertThatThrownBy(() -> curves.timesteps(JOB, 2L))
                .isInstanceOf(IterationNotRecordedException.class)
                .hasMessageContaining("at iteration 2; recorded: [1, 46]");

        for (long it = 100; it < 120; it++) {
            store.timesteps.put(it, new double[] {1});
        }
        assertThatThrownBy(() -> curves.timesteps(JOB, 2L))
                .hasMessageContaining("recorded: [1, 46, 100, 101, 102]… (22 in all");
    }

    /** Layers recording at different iterations all keep their points: the axis is the union. */
    @Test
    void layersRecordedAtDifferentIterationsKeepEveryPoint() {
        FakeStore store = new FakeStore();
        store.layers.add(new CurveStore.StoredLayer(0, "dense1", "dense"));
        store.layers.add(new CurveStore.StoredLayer(1, "output", "output"));
        store.put(MetricSeries.WEIGHT_GRADIENT_NORM, 0, new long[] {1, 3, 5}, new double[] {10, 30, 50});
        store.put(MetricSeries.WEIGHT_GRADIENT_NORM, 1, new long[] {2, 4}, new double[] {20, 40});

        LayerHistory h = new CurveQueries(store, new io.micrometer.core.instrument.simple.SimpleMeterRegistry())
                .gradients(JOB, "weightGradientNorm", 0, Long.MAX_VALUE, 1000);

        assertThat(h.iterations()).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(h.layers().get(0).values()).containsExactly(10.0, null, 30.0, null, 50.0);
        assertThat(h.layers().get(1).values()).containsExactly(null, 20.0, null, 40.0, null);
    }

    /** A partly recorded layer's real extreme survives downsampling; "not recorded" is never picked as one. */
    @Test
    void notRecordedPointsNeverHideABucketsRealExtreme() {
        FakeStore store = new FakeStore();
        store.layers.add(new CurveStore.StoredLayer(0, "dense1", "dense"));
        store.layers.add(new CurveStore.StoredLayer(1, "dense2", "dense"));
        long[] all = range(1, 100);
        double[] flat = new double[100];
        Arrays.fill(flat, 1.0);
        store.put(MetricSeries.WEIGHT_GRADIENT_NORM, 0, all, flat);
        // dense2 records only every 10th iteration; its spike is at iteration 51.
        long[] sparse = LongStream.rangeClosed(0, 9).map(k -> 10 * k + 1).toArray();
        double[] sparseValues = new double[10];
        Arrays.fill(sparseValues, 2.0);
        sparseValues[5] = 99.0;
        store.put(MetricSeries.WEIGHT_GRADIENT_NORM, 1, sparse, sparseValues);

        LayerHistory h = new CurveQueries(store, new io.micrometer.core.instrument.simple.SimpleMeterRegistry())
                .gradients(JOB, "weightGradientNorm", 0, Long.MAX_VALUE, 10);

        assertThat(h.downsampled()).isTrue();
        assertThat(h.layers().get(1).values()).as("the spike at iteration 51").contains(99.0);
    }
}
