package dev.gradlab.training;

import java.util.List;

/**
 * One iteration (one minibatch, one parameter update), numbered from 1. {@code layers} is empty on iterations
 * that {@code metrics.every} skips; the loss is always there. For recurrent nets, {@code timestepGradients} is
 * ‖∂L/∂x_t‖ for t = 1..T on the fixed probe batch, measured with the parameters this iteration started from
 * (null on skipped iterations and for MLPs).
 */
public record IterationMetrics(
        long iteration, int epoch, double loss, List<LayerStatistics> layers, double[] timestepGradients) {

    public IterationMetrics(long iteration, int epoch, double loss, List<LayerStatistics> layers) {
        this(iteration, epoch, loss, layers, null);
    }

    public boolean hasLayerStatistics() {
        return !layers.isEmpty();
    }
}
