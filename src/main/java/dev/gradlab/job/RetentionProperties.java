package dev.gradlab.job;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code gradlab.retention.*}: how long finished work is kept, and how deleted jobs' measurements are removed.
 *
 * @param finishedJobs       a job of no study that finished longer ago than this is deleted, with its curves; so
 *                           is a study whose every job finished longer ago. Unset (the default): everything is kept
 *                           until deleted through the API, because a deletion cannot be undone and how long results
 *                           matter (and how large the disk is) is the operator's call, not the service's
 * @param sweepInterval      how often each instance looks for expired jobs and studies (at most
 *                           {@link JobRetention#BATCH} jobs and as many studies a sweep); any instance may do it, each
 *                           deletion is one conditional statement, so several instances never delete one job twice
 * @param purgeCheckInterval how often each instance looks for deleted jobs whose measurements nobody is removing
 *                           (the instance that deleted them stopped): their claim has run out
 */
@ConfigurationProperties("gradlab.retention")
public record RetentionProperties(Duration finishedJobs, Duration sweepInterval, Duration purgeCheckInterval) {

    public RetentionProperties {
        if (finishedJobs != null && (finishedJobs.isNegative() || finishedJobs.isZero())) {
            throw new IllegalArgumentException(
                    "gradlab.retention.finished-jobs must be positive, or unset to keep every job (was " + finishedJobs
                            + ")");
        }
        sweepInterval = positive("sweep-interval", sweepInterval, Duration.ofMinutes(1));
        purgeCheckInterval = positive("purge-check-interval", purgeCheckInterval, Duration.ofSeconds(30));
    }

    /** The finish time before which work is expired at {@code now}, or empty when retention is off. */
    public Optional<Instant> cutoff(Instant now) {
        return Optional.ofNullable(finishedJobs).map(now::minus);
    }

    private static Duration positive(String name, Duration value, Duration fallback) {
        if (value == null) {
            return fallback;
        }
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("gradlab.retention." + name + " must be positive (was " + value + ")");
        }
        return value;
    }
}
