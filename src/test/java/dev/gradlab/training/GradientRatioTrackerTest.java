package dev.gradlab.training;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gradlab.network.LayerDescriptor;
import dev.gradlab.network.LayerKind;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The headline ratio: matched by layer kind, not position; start and end at the recorded iterations. */
class GradientRatioTrackerTest {

    private static LayerDescriptor layer(int index, String name, LayerKind kind) {
        return new LayerDescriptor(index, name, kind, null, null, null, List.of(), null);
    }

    private static LayerStatistics stats(int layer, double weightGradientNorm) {
        return new LayerStatistics(layer, weightGradientNorm, 0, null, null, 0, null, null, null, null);
    }

    /** dense1, bn1, dense2, bn2, output: the batch-norm and output layers never count. */
    private static final List<LayerDescriptor> BATCH_NORM_NET = List.of(
            layer(0, "dense1", LayerKind.DENSE),
            layer(1, "bn1", LayerKind.BATCH_NORM),
            layer(2, "dense2", LayerKind.DENSE),
            layer(3, "bn2", LayerKind.BATCH_NORM),
            layer(4, "output", LayerKind.OUTPUT));

    @Test
    void firstOverLastDenseLayerMatchedByKind() {
        GradientRatioTracker tracker = GradientRatioTracker.forNetwork(BATCH_NORM_NET, false, 1);
        tracker.record(1, List.of(stats(0, 1e-6), stats(1, 5), stats(2, 1e-2), stats(3, 7), stats(4, 3)), null);
        tracker.record(2, List.of(), null); // skipped by metrics.every: no statistics
        tracker.record(3, List.of(stats(0, 2e-3), stats(1, 5), stats(2, 4e-3), stats(3, 7), stats(4, 3)), null);
        tracker.record(4, List.of(), null);

        GradientRatio r = tracker.result();
        assertThat(r.measure()).isEqualTo(GradientRatio.Measure.FIRST_TO_LAST_DENSE_LAYER);
        assertThat(r.numerator()).isEqualTo("dense1");
        assertThat(r.denominator()).isEqualTo("dense2");
        assertThat(r.startIteration()).isEqualTo(1);
        assertThat(r.start()).isEqualTo(1e-6 / 1e-2);
        assertThat(r.endIteration()).as("the last iteration with statistics").isEqualTo(3);
        assertThat(r.end()).isEqualTo(2e-3 / 4e-3);
    }

    @Test
    void nonFiniteAndZeroNormsGiveNonFiniteRatios() {
        GradientRatioTracker tracker = GradientRatioTracker.forNetwork(BATCH_NORM_NET, false, 1);
        tracker.record(1, List.of(stats(0, 1), stats(2, 0)), null);
        tracker.record(2, List.of(stats(0, Double.NaN), stats(2, 1)), null);
        assertThat(tracker.result().start()).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(tracker.result().end()).isNaN();
    }

    @Test
    void recurrentNetsCompareTheFirstAndLastTimeStep() {
        GradientRatioTracker tracker = GradientRatioTracker.forNetwork(
                List.of(layer(0, "rnn1", LayerKind.RECURRENT), layer(1, "output", LayerKind.OUTPUT)), true, 4);
        tracker.record(1, List.of(stats(0, 1), stats(1, 1)), new double[] {1e-8, 1e-4, 1e-2, 1});
        tracker.record(2, List.of(), null);
        tracker.record(3, List.of(stats(0, 1), stats(1, 1)), new double[] {3, 2, 1, 0.5});
        GradientRatio r = tracker.result();
        assertThat(r.measure()).isEqualTo(GradientRatio.Measure.FIRST_TO_LAST_TIMESTEP);
        assertThat(r.numerator() + "/" + r.denominator()).isEqualTo("t=1/t=4");
        assertThat(r.start()).isEqualTo(1e-8);
        assertThat(r.endIteration()).isEqualTo(3);
        assertThat(r.end()).isEqualTo(6.0);
    }

    @Test
    void noRatioWithoutTwoDenseLayersOrBeforeAnyStatistics() {
        assertThat(GradientRatioTracker.forNetwork(
                        List.of(layer(0, "dense1", LayerKind.DENSE), layer(1, "output", LayerKind.OUTPUT)), false, 1))
                .isNull();
        assertThat(GradientRatioTracker.forNetwork(BATCH_NORM_NET, false, 1).result())
                .isNull();
    }
}
