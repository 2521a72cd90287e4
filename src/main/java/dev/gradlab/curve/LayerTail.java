package dev.gradlab.curve;

import java.util.List;

/**
 * The last recorded points of one per-layer statistic, per layer that recorded it, input → output. Values are as
 * recorded (NaN and ±Infinity included).
 */
public record LayerTail(String stat, List<Layer> layers) {

    /** One layer's last points, ascending by iteration. */
    public record Layer(int index, String name, String kind, List<Long> iterations, List<Double> values) {}
}
