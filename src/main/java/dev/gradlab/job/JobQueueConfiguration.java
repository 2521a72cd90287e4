package dev.gradlab.job;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerName;
import com.github.kagkarlsson.scheduler.task.CompletionHandler;
import com.github.kagkarlsson.scheduler.task.FailureHandler;
import com.github.kagkarlsson.scheduler.task.Task;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import dev.gradlab.metric.MetricWriter;
import dev.gradlab.quota.QuotaProperties;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import javax.sql.DataSource;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.datasource.TransactionAwareDataSourceProxy;

/**
 * The persistent job queue: db-scheduler on the application's own database. One one-time task per job
 * (instance id = job id); {@code gradlab.jobs.concurrency} scheduler threads, so that many jobs train at once
 * and the rest wait in order of submission. On PostgreSQL several instances share the queue safely.
 * <p>
 * A crashed instance (SIGKILL, lost machine) leaves its executions picked: db-scheduler hands them to a live
 * instance, or to the restarted one, once their heartbeat is {@code missed-heartbeats-limit} intervals old. The
 * defaults (5 s × 6) take over within 25–40 s and tolerate a 25 s stall of a live instance (GC, database hiccup).
 * Silence during a database outage does not count ({@link OutageAwareDeadExecutions}): no instance can write its
 * heartbeats then, and the live ones must not all be taken for dead when the database returns.
 */
@Configuration(proxyBeanMethods = false)
class JobQueueConfiguration {

    static final String TRAIN_TASK = "train-job";

    @Bean
    DatabaseReachability queueDatabaseReachability() {
        return new DatabaseReachability(Clock.systemUTC());
    }

    @Bean
    Task<Void> trainTask(
            JobRunner runner, DatabaseReachability reachability, JobProperties properties, QuotaProperties quotas) {
        Duration heldBack = quotas.startRetryDelay();
        // A run that throws was handed back, stopped by a shutdown or a database outage (JobRunner handles every
        // other failure itself): retry soon, on this instance or on any other instance sharing the database.
        // A job its owner's running-jobs quota holds back is offered again a little later; its place goes to
        // the jobs behind it meanwhile, which are often other owners'.
        return Tasks.custom(TRAIN_TASK, Void.class)
                .onFailure(new FailureHandler.OnFailureRetryLater<>(Duration.ofSeconds(1)))
                .onDeadExecution(new OutageAwareDeadExecutions(reachability, properties.deadAfter(), Clock.systemUTC()))
                .execute((instance, context) -> runner.run(UUID.fromString(instance.getId()))
                        ? new CompletionHandler.OnCompleteRemove<>()
                        : (complete, operations) ->
                                operations.reschedule(complete, Instant.now().plus(heldBack)));
    }

    /** Proxied so that scheduling a job joins the transaction that stores it; watched for outages. */
    @Bean
    Scheduler jobScheduler(
            DataSource dataSource, Task<Void> trainTask, JobProperties properties, DatabaseReachability reachability) {
        return Scheduler.create(new TransactionAwareDataSourceProxy(reachability.watch(dataSource)), trainTask)
                .threads(properties.concurrency())
                .pollingInterval(properties.pollingInterval())
                .heartbeatInterval(properties.heartbeatInterval())
                .missedHeartbeatsLimit(properties.missedHeartbeatsLimit())
                .schedulerName(new SchedulerName.Fixed(properties.workerId()))
                .enableImmediateExecution()
                .shutdownMaxWait(Duration.ofSeconds(5))
                .build();
    }

    @Bean
    SchedulerLifecycle jobSchedulerLifecycle(Scheduler scheduler, RunningJobs running, MetricWriter metricWriter) {
        return new SchedulerLifecycle(scheduler, running, metricWriter);
    }

    /** Starts the queue once the context (and Flyway's schema) is ready; stops it first on shutdown. */
    static final class SchedulerLifecycle implements SmartLifecycle {
        private final Scheduler scheduler;
        private final RunningJobs jobs;
        private final MetricWriter metricWriter;
        private volatile boolean running;

        SchedulerLifecycle(Scheduler scheduler, RunningJobs jobs, MetricWriter metricWriter) {
            this.scheduler = scheduler;
            this.jobs = jobs;
            this.metricWriter = metricWriter;
        }

        @Override
        public void start() {
            scheduler.start();
            running = true;
        }

        @Override
        public void stop() {
            jobs.stopAllForShutdown(); // training loops stop within an iteration; their jobs go back on the queue
            metricWriter.abandonRetries(); // during an outage: don't hold the shutdown for the whole tolerance
            scheduler.stop();
            running = false;
        }

        @Override
        public boolean isRunning() {
            return running;
        }

        /**
         * A db-scheduler Scheduler cannot start again once stopped, so a paused context (Spring's test context
         * cache pauses the contexts it is not using) keeps its queue running instead of failing on restart.
         */
        @Override
        public boolean isPauseable() {
            return false;
        }
    }
}
