package dev.gradlab.job;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Cancel flags of the jobs training on this instance. The training loop polls only an in-memory flag; a cancel
 * received here sets it at once, and a cancel received by another instance reaches it through the database
 * within a second.
 */
@Component
class RunningJobs {

    private final Map<UUID, AtomicBoolean> cancelFlags = new ConcurrentHashMap<>();
    private final JobRepository jobs;
    /** Set when this instance shuts down: every local job stops at its next iteration and is queued again. */
    private final AtomicBoolean shuttingDown = new AtomicBoolean();

    RunningJobs(JobRepository jobs) {
        this.jobs = jobs;
    }

    AtomicBoolean register(UUID id) {
        AtomicBoolean flag = new AtomicBoolean();
        cancelFlags.put(id, flag);
        return flag;
    }

    boolean shuttingDown() {
        return shuttingDown.get();
    }

    /** Stops every job training here at its next iteration; their runners put them back on the queue. */
    void stopAllForShutdown() {
        shuttingDown.set(true);
    }

    void unregister(UUID id) {
        cancelFlags.remove(id);
    }

    /** @return true if the job trains here and has now been told to stop */
    boolean cancelLocally(UUID id) {
        AtomicBoolean flag = cancelFlags.get(id);
        if (flag == null) {
            return false;
        }
        flag.set(true);
        return true;
    }

    @Scheduled(fixedDelayString = "${gradlab.jobs.cancel-poll-interval:1s}")
    void pollCancelRequests() {
        cancelFlags.forEach((id, flag) -> {
            if (!flag.get() && jobs.isCancelRequested(id)) {
                flag.set(true);
            }
        });
    }
}
