package dev.gradlab.quota;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * {@code gradlab.quotas.*}: what one owner may use, and how many API requests one key may send. A limit of 0 turns
 * that limit off. Admins (the operator's admin key, admin keys, local mode's user) are not limited.
 *
 * @param queuedJobs        an owner's jobs waiting (QUEUED) at once; a submission past it is refused
 * @param runningJobs       an owner's jobs training at once, over every instance; further ones wait in the queue
 *                          (others' jobs start meanwhile), they are not refused
 * @param iterationsPerDay  the training iterations an owner's jobs may plan in any 24 hours (charged at
 *                          submission; given back only for a queued job cancelled before it started)
 * @param datasetBytes      the bytes an owner's uploaded datasets may take in storage
 * @param requestsPerSecond API requests per second one key may send, sustained (per instance)
 * @param requestBurst      API requests one key may send at once after a quiet spell (the bucket's size)
 * @param startRetryDelay   a job held back by its owner's running-jobs quota is looked at again this much later
 * @param queuedRetryAfter  the Retry-After of a submission refused over the queued-jobs quota (jobs start, and
 *                          make room, at the pace the queue drains)
 */
@ConfigurationProperties("gradlab.quotas")
public record QuotaProperties(
        Long queuedJobs,
        Long runningJobs,
        Long iterationsPerDay,
        DataSize datasetBytes,
        Long requestsPerSecond,
        Long requestBurst,
        Duration startRetryDelay,
        Duration queuedRetryAfter) {

    public QuotaProperties {
        queuedJobs = atLeastZero("queued-jobs", queuedJobs, 20);
        runningJobs = atLeastZero("running-jobs", runningJobs, 2);
        iterationsPerDay = atLeastZero("iterations-per-day", iterationsPerDay, 1_000_000);
        datasetBytes = datasetBytes == null ? DataSize.ofMegabytes(512) : datasetBytes;
        atLeastZero("dataset-bytes", datasetBytes.toBytes(), 0);
        requestsPerSecond = atLeastZero("requests-per-second", requestsPerSecond, 20);
        requestBurst = atLeastZero("request-burst", requestBurst, 100);
        if (requestsPerSecond > 0 && requestBurst < 1) {
            throw new IllegalArgumentException("gradlab.quotas.request-burst must be at least 1 when "
                    + "gradlab.quotas.requests-per-second is on (was " + requestBurst + ")");
        }
        startRetryDelay = positive("start-retry-delay", startRetryDelay, Duration.ofSeconds(3));
        queuedRetryAfter = positive("queued-retry-after", queuedRetryAfter, Duration.ofSeconds(30));
    }

    private static Duration positive(String name, Duration value, Duration fallback) {
        if (value == null) {
            return fallback;
        }
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("gradlab.quotas." + name + " must be positive (was " + value + ")");
        }
        return value;
    }

    private static long atLeastZero(String name, Long value, long fallback) {
        if (value == null) {
            return fallback;
        }
        if (value < 0) {
            throw new IllegalArgumentException(
                    "gradlab.quotas." + name + " must be 0 (no limit) or more (was " + value + ")");
        }
        return value;
    }
}
