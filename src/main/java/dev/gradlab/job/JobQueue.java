package dev.gradlab.job;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.task.Task;
import java.time.Instant;
import java.util.UUID;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The persistent queue as the job feature uses it: a job's execution is added in the transaction that stores the
 * job, so both commit or neither does.
 *
 * <p>db-scheduler's immediate execution looks for due executions the moment one is scheduled, which is before that
 * transaction commits: its query cannot see the new row yet, and the job waited for the next poll
 * ({@code gradlab.jobs.polling-interval}, 1 s) about every other time it was submitted to an idle instance
 * (docs/PERFORMANCE.md, "A job's first second"). So the queue looks again once the transaction has committed.
 */
@Component
class JobQueue {

    private final Scheduler scheduler;
    private final Task<Void> trainTask;

    JobQueue(Scheduler scheduler, Task<Void> trainTask) {
        this.scheduler = scheduler;
        this.trainTask = trainTask;
    }

    /** Adds the job's execution, due at {@code at}, in the caller's transaction; started on commit when due. */
    void enqueue(UUID jobId, Instant at) {
        scheduler.scheduleIfNotExists(trainTask.instance(jobId.toString()), at);
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    scheduler.triggerCheckForDueExecutions();
                }
            });
        } else {
            scheduler.triggerCheckForDueExecutions();
        }
    }

    /** Removes a job's execution that no worker has picked. @throws RuntimeException if there is none to remove */
    void cancel(UUID jobId) {
        scheduler.cancel(trainTask.instance(jobId.toString()));
    }
}
