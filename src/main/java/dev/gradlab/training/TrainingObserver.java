package dev.gradlab.training;

/**
 * Receives a run's measurements on the training thread, in order. Implementations must be quick (hand the data
 * off, don't do I/O here): every call sits inside the training loop.
 */
public interface TrainingObserver {

    default void onStart(TrainingPlan plan) {}

    void onIteration(IterationMetrics metrics);

    default void onEpoch(EpochMetrics metrics) {}
}
