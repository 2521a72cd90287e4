package dev.gradlab.diagnosis;

/** How much a finding matters, least first. */
public enum Severity {
    /** Nothing to fix (HEALTHY). */
    INFO,
    /** A problem found so far, or one that slows training rather than stopping it. */
    WARNING,
    /** A problem that stops the run from learning, judged on a run that has not learned (or went non-finite). */
    CRITICAL
}
