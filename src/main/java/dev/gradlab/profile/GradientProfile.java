package dev.gradlab.profile;

import java.util.List;

/**
 * log₁₀ of a gradient norm against position at one iteration, with its fitted slope and the predicted ones.
 * Positions run from the input: dense layers 1..L (batch-norm layers are not counted; the output layer is L), or
 * steps t = 1..T. The slope is measured going back, toward the input or the first step: negative when the gradient
 * shrinks on its way back (vanishes), positive when it grows (explodes).
 *
 * @param kind       DEPTH (an MLP's dense layers) or TIME (an RNN's input steps)
 * @param statistic  the norm profiled: weightGradientNorm or biasGradientNorm (depth), inputGradientNorm (time)
 * @param iteration  the recorded iteration profiled (at or before the one asked for)
 * @param positions  1..L or 1..T
 * @param layers     for DEPTH, the layer (index, name) at each position; empty for TIME
 * @param log10Norms one per position; NaN or ±Infinity where the norm was non-finite or 0
 * @param fit        the least-squares line over the finite points, x counted back from the top; null with fewer
 *                   than two
 * @param notes      what the predictions leave out for this model, or why there are none
 */
public record GradientProfile(
        Kind kind,
        String statistic,
        long iteration,
        List<Integer> positions,
        List<LayerRef> layers,
        List<Double> log10Norms,
        SlopeFit fit,
        List<Prediction> predictions,
        List<String> notes) {

    public enum Kind {
        DEPTH,
        TIME
    }

    public record LayerRef(int index, String name) {}
}
