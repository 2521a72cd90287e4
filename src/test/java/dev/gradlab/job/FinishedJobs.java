package dev.gradlab.job;

import java.time.Duration;
import java.util.UUID;

/** Waits, in the job package's integration tests, for a job's row to reach a final status. */
final class FinishedJobs {

    private FinishedJobs() {}

    /** The job's row once it is finished, or as it stands when {@code timeout} runs out (the caller asserts). */
    static Job await(JobRepository jobs, UUID id, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Job job = jobs.findById(id).orElseThrow();
        while (!job.getStatus().finished() && System.nanoTime() < deadline) {
            Thread.sleep(50);
            job = jobs.findById(id).orElseThrow();
        }
        return job;
    }
}
