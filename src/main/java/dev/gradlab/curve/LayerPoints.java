package dev.gradlab.curve;

import java.util.List;

/**
 * Some recorded points of one per-layer statistic (the first, or the last few), per layer that recorded it,
 * input → output. Values are as recorded (NaN and ±Infinity included).
 */
public record LayerPoints(String stat, List<Layer> layers) {

    /** One layer's points, ascending by iteration. */
    public record Layer(int index, String name, String kind, List<Long> iterations, List<Double> values) {}
}
