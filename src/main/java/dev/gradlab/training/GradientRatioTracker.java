package dev.gradlab.training;

import dev.gradlab.network.LayerDescriptor;
import dev.gradlab.network.LayerKind;
import java.util.List;

/**
 * Follows a run's headline ratio ({@link GradientRatio}) from the iterations that record statistics: the first
 * one seen is the start, the latest the end. Computed here, once, so every client reads the same number.
 */
final class GradientRatioTracker {

    private final GradientRatio.Measure measure;
    private final int first;
    private final int last;
    private final String numerator;
    private final String denominator;
    private long startIteration = -1;
    private double start;
    private long endIteration = -1;
    private double end;

    private GradientRatioTracker(
            GradientRatio.Measure measure, int first, int last, String numerator, String denominator) {
        this.measure = measure;
        this.first = first;
        this.last = last;
        this.numerator = numerator;
        this.denominator = denominator;
    }

    /** @return a tracker for the network, or null when it has no two layers (or steps) to compare */
    static GradientRatioTracker forNetwork(List<LayerDescriptor> layers, boolean recurrent, int timeSteps) {
        if (recurrent) {
            return timeSteps < 2
                    ? null
                    : new GradientRatioTracker(
                            GradientRatio.Measure.FIRST_TO_LAST_TIMESTEP, 0, timeSteps - 1, "t=1", "t=" + timeSteps);
        }
        List<LayerDescriptor> dense =
                layers.stream().filter(l -> l.kind() == LayerKind.DENSE).toList();
        if (dense.size() < 2) {
            return null;
        }
        LayerDescriptor a = dense.get(0);
        LayerDescriptor b = dense.get(dense.size() - 1);
        return new GradientRatioTracker(
                GradientRatio.Measure.FIRST_TO_LAST_DENSE_LAYER, a.index(), b.index(), a.name(), b.name());
    }

    /** An iteration with statistics: layer statistics (MLP) or per-step gradients (recurrent). */
    void record(long iteration, List<LayerStatistics> layers, double[] timestepGradients) {
        double ratio;
        if (measure == GradientRatio.Measure.FIRST_TO_LAST_TIMESTEP) {
            if (timestepGradients == null) {
                return;
            }
            ratio = timestepGradients[first] / timestepGradients[last];
        } else {
            if (layers.isEmpty()) {
                return;
            }
            ratio = norm(layers, first) / norm(layers, last);
        }
        if (startIteration < 0) {
            startIteration = iteration;
            start = ratio;
        }
        endIteration = iteration;
        end = ratio;
    }

    private static double norm(List<LayerStatistics> layers, int index) {
        for (LayerStatistics s : layers) {
            if (s.layer() == index) {
                return s.weightGradientNorm();
            }
        }
        return Double.NaN;
    }

    /** @return the ratio, or null if no iteration recorded statistics */
    GradientRatio result() {
        if (startIteration < 0) {
            return null;
        }
        return new GradientRatio(measure, numerator, denominator, startIteration, start, endIteration, end);
    }
}
