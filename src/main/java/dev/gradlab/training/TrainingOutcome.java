package dev.gradlab.training;

/** How a run ended. Accuracies are from the last completed epoch, null if none completed. */
public record TrainingOutcome(
        TrainingStatus status,
        long iterations,
        int epochs,
        Double finalLoss,
        Double trainAccuracy,
        Double testAccuracy,
        Divergence divergence,
        long wallTimeMillis) {
}
