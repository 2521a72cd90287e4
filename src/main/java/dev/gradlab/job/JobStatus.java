package dev.gradlab.job;

public enum JobStatus {
    QUEUED,
    RUNNING,
    SUCCEEDED,
    FAILED,
    CANCELLED,
    DIVERGED;

    public boolean finished() {
        return this != QUEUED && this != RUNNING;
    }
}
