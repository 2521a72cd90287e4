package dev.gradlab.training;

/**
 * How a run ended. Accuracies are from the last scored epoch (see training.evaluateEvery; the last epoch always
 * is), null if none was; {@code epochs} counts the completed ones. {@code gradientRatio} is null when no iteration
 * recorded statistics or the network has no two layers to compare.
 */
public record TrainingOutcome(
        TrainingStatus status,
        long iterations,
        int epochs,
        Double finalLoss,
        Double trainAccuracy,
        Double testAccuracy,
        Divergence divergence,
        GradientRatio gradientRatio,
        long wallTimeMillis) {}
