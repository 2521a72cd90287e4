package dev.gradlab.curve;

import java.util.List;

/**
 * One per-layer statistic of every parameterised layer, ordered input → output, on one shared iteration axis.
 *
 * @param stat        the statistic's key, e.g. {@code weightGradientNorm}
 * @param totalPoints positions on the axis before downsampling
 */
public record LayerHistory(
        String stat, long totalPoints, boolean downsampled, List<Long> iterations, List<Layer> layers) {

    /**
     * One layer's values, aligned with {@code iterations}: null where the layer recorded nothing (e.g. the output
     * layer has no activations), NaN or ±Infinity where the value was non-finite.
     */
    public record Layer(int index, String name, String kind, List<Double> values) {}
}
