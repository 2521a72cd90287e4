package dev.gradlab.job;

import com.github.kagkarlsson.scheduler.task.DeadExecutionHandler;
import com.github.kagkarlsson.scheduler.task.ExecutionComplete;
import com.github.kagkarlsson.scheduler.task.ExecutionOperations;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * db-scheduler calls an execution dead when its heartbeat is {@code heartbeat-interval × missed-heartbeats-limit}
 * old, and then (db-scheduler's default) revives it: the job runs again from the start. During a database outage
 * no instance can write heartbeats, so once the database is back every running execution looks dead to whichever
 * instance checks first, live ones included, and their jobs would all start over.
 * <p>
 * So silence only counts while the database was reachable: an execution is revived only once this instance has
 * seen the database reachable for a whole dead-after period. Live instances have written their heartbeats by then
 * (they beat every interval), so only the executions of instances that really died are revived, that much later
 * than after an ordinary crash. If an instance is cut off alone (a partition this one did not see), it is taken
 * for dead as after a crash, and its attempt is fenced the same way: the attempt number and the execution's
 * version move on, and its writes match nothing.
 */
final class OutageAwareDeadExecutions implements DeadExecutionHandler<Void> {

    private static final Logger log = LoggerFactory.getLogger(OutageAwareDeadExecutions.class);

    private final DatabaseReachability reachability;
    private final Duration deadAfter;
    private final Clock clock;
    private final DeadExecutionHandler<Void> revive = new DeadExecutionHandler.ReviveDeadExecution<>();

    OutageAwareDeadExecutions(DatabaseReachability reachability, Duration deadAfter, Clock clock) {
        this.reachability = reachability;
        this.deadAfter = deadAfter;
        this.clock = clock;
    }

    @Override
    public void deadExecution(ExecutionComplete executionComplete, ExecutionOperations<Void> executionOperations) {
        Instant outage = reachability.lastFailure();
        Instant now = clock.instant();
        if (outage != null && now.isBefore(outage.plus(deadAfter))) {
            log.info(
                    "execution {} looks dead, but the database was unreachable until {}: waiting until {} for its "
                            + "instance's heartbeats before running it again",
                    executionComplete.getExecution().taskInstance,
                    outage,
                    outage.plus(deadAfter));
            return; // still picked: checked again at the next dead-execution check
        }
        revive.deadExecution(executionComplete, executionOperations);
    }
}
