package dev.gradlab.study;

/**
 * Derived from the study's jobs: QUEUED while none has started, RUNNING while any is unfinished, FINISHED when all
 * have finished; CANCELLED once the study was cancelled (its running jobs stop within a second or two).
 */
public enum StudyStatus {
    QUEUED,
    RUNNING,
    FINISHED,
    CANCELLED
}
