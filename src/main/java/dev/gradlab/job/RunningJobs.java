package dev.gradlab.job;

import dev.gradlab.database.DatabaseFailures;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Stop flags of the jobs training on this instance. The training loop polls only an in-memory flag; a cancel
 * received here sets it at once, and a cancel received by another instance reaches it through the database
 * within a second, as does the news that another instance has taken the job over (this one was given up for
 * dead after missing its heartbeats).
 */
@Component
class RunningJobs {

    private final Map<UUID, Attempt> attempts = new ConcurrentHashMap<>();
    private final JobRepository jobs;
    /** Set when this instance shuts down: every local job stops at its next iteration and is queued again. */
    private final AtomicBoolean shuttingDown = new AtomicBoolean();

    RunningJobs(JobRepository jobs) {
        this.jobs = jobs;
    }

    private record Attempt(int number, AtomicBoolean stop) {}

    /** @return the flag that tells this attempt's training loop to stop */
    AtomicBoolean register(UUID id, int attempt) {
        AtomicBoolean flag = new AtomicBoolean();
        attempts.put(id, new Attempt(attempt, flag));
        return flag;
    }

    /** Jobs training on this instance now. */
    int count() {
        return attempts.size();
    }

    boolean shuttingDown() {
        return shuttingDown.get();
    }

    /** Stops every job training here at its next iteration; their runners put them back on the queue. */
    void stopAllForShutdown() {
        shuttingDown.set(true);
    }

    void unregister(UUID id, int attempt) {
        attempts.computeIfPresent(id, (key, current) -> current.number() == attempt ? null : current);
    }

    /** @return true if the job trains here and has now been told to stop */
    boolean cancelLocally(UUID id) {
        Attempt attempt = attempts.get(id);
        if (attempt == null) {
            return false;
        }
        attempt.stop().set(true);
        return true;
    }

    /**
     * While the database is unavailable nothing is learnt, and nothing is stopped: the jobs wait for it (their
     * metric writes retry), and an attempt that was taken over meanwhile learns it at its next write or poll.
     */
    @Scheduled(fixedDelayString = "${gradlab.jobs.cancel-poll-interval:1s}")
    void pollCancelRequests() {
        try {
            attempts.forEach((id, attempt) -> {
                if (!attempt.stop().get()
                        && !jobs.existsByIdAndAttemptAndStatusAndCancelRequestedFalse(
                                id, attempt.number(), JobStatus.RUNNING)) {
                    attempt.stop().set(true);
                }
            });
        } catch (RuntimeException e) {
            if (!DatabaseFailures.isUnavailable(e)) {
                throw e;
            }
        }
    }
}
