package dev.gradlab.training;

public enum TrainingStatus {
    /** Every epoch ran. */
    COMPLETED,
    /** A loss, gradient, activation or parameter went NaN or ±Inf; training stopped there. */
    DIVERGED,
    /** The caller asked it to stop. */
    CANCELLED
}
