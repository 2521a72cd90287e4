package dev.gradlab.job;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code gradlab.jobs.*}: how many jobs this instance trains at once, how often it polls the queue, the name it
 * records on the jobs it runs, how fast a dead instance's jobs are taken over, how long one attempt may train,
 * and how many jobs may wait.
 *
 * @param heartbeatInterval     how often an instance tells the database it is still training its jobs
 * @param missedHeartbeatsLimit after this many heartbeat intervals without one, a job's instance counts as dead
 *                              and any instance runs the job again: the takeover delay after a crash is
 *                              (limit − 1 … limit) × interval, plus up to 2 × interval until the next check
 * @param maxWallTime           one attempt that trains longer ends FAILED
 * @param maxAttempts           a job started this often without finishing (its instance crashed or stopped each
 *                              time) ends FAILED instead of starting again: a job that kills its process must
 *                              not crash every instance in turn, forever
 * @param queueCapacity         QUEUED jobs beyond which a submission is refused with 429
 * @param queueFullRetryAfter   the Retry-After a refused submission gets
 * @param databaseOutageTolerance how long a running job waits for an unavailable database (its metric writes and
 *                              its outcome are retried, training pauses) before it goes back to the queue; long
 *                              enough for a managed database's fail-over
 */
@ConfigurationProperties("gradlab.jobs")
public record JobProperties(
        Integer concurrency,
        Duration pollingInterval,
        String workerId,
        Duration heartbeatInterval,
        Integer missedHeartbeatsLimit,
        Duration maxWallTime,
        Integer maxAttempts,
        Integer queueCapacity,
        Duration queueFullRetryAfter,
        Duration databaseOutageTolerance) {

    public JobProperties {
        concurrency = positive("concurrency", concurrency, 1);
        pollingInterval = positive("polling-interval", pollingInterval, Duration.ofSeconds(1));
        if (workerId == null || workerId.isBlank()) {
            workerId = defaultWorkerId();
        }
        heartbeatInterval = positive("heartbeat-interval", heartbeatInterval, Duration.ofSeconds(5));
        missedHeartbeatsLimit = positive("missed-heartbeats-limit", missedHeartbeatsLimit, 6);
        if (missedHeartbeatsLimit < 4) {
            // db-scheduler's own minimum: fewer would hand a live instance's job to another one after one late beat
            throw new IllegalArgumentException(
                    "gradlab.jobs.missed-heartbeats-limit must be at least 4 (was " + missedHeartbeatsLimit + ")");
        }
        maxWallTime = positive("max-wall-time", maxWallTime, Duration.ofHours(2));
        maxAttempts = positive("max-attempts", maxAttempts, 5);
        queueCapacity = positive("queue-capacity", queueCapacity, 1000);
        queueFullRetryAfter = positive("queue-full-retry-after", queueFullRetryAfter, Duration.ofSeconds(30));
        databaseOutageTolerance =
                positive("database-outage-tolerance", databaseOutageTolerance, Duration.ofSeconds(60));
    }

    /** How long an execution's heartbeat must be silent before db-scheduler takes its instance for dead. */
    Duration deadAfter() {
        return heartbeatInterval.multipliedBy(missedHeartbeatsLimit);
    }

    /** How long after a crash its jobs may wait, at most, before another instance (or the restart) runs them. */
    Duration maxTakeoverDelay() {
        return heartbeatInterval.multipliedBy(missedHeartbeatsLimit + 2L).plus(pollingInterval);
    }

    private static Integer positive(String name, Integer value, int fallback) {
        if (value == null) {
            return fallback;
        }
        if (value < 1) {
            throw new IllegalArgumentException("gradlab.jobs." + name + " must be at least 1 (was " + value + ")");
        }
        return value;
    }

    private static Duration positive(String name, Duration value, Duration fallback) {
        if (value == null) {
            return fallback;
        }
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("gradlab.jobs." + name + " must be positive (was " + value + ")");
        }
        return value;
    }

    private static String defaultWorkerId() {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            host = "localhost";
        }
        return host + "-" + ProcessHandle.current().pid();
    }
}
