package dev.gradlab.diagnosis;

/** What a finding says; docs/DIAGNOSIS.md gives each one's rule, source and threshold property. */
public enum FindingCode {
    VANISHING_GRADIENT,
    EXPLODING_GRADIENT,
    NON_FINITE,
    SATURATED_ACTIVATIONS,
    DEAD_UNITS,
    UPDATE_RATIO_HIGH,
    UPDATE_RATIO_LOW,
    VANISHING_THROUGH_TIME,
    EXPLODING_THROUGH_TIME,
    /** The run has not learned and no gradient rule says why. */
    NOT_CONVERGED,
    /** The training split is learned, the test split stays near chance: memorising, not generalising. */
    NOT_GENERALIZING,
    HEALTHY
}
