package dev.gradlab.training;

import java.util.List;

/**
 * One iteration (one minibatch, one parameter update), numbered from 1. {@code layers} is empty on iterations
 * that {@code metrics.every} skips; the loss is always there.
 */
public record IterationMetrics(long iteration, int epoch, double loss, List<LayerStatistics> layers) {

    public boolean hasLayerStatistics() {
        return !layers.isEmpty();
    }
}
