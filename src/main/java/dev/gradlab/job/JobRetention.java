package dev.gradlab.job;

import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The retention policy for jobs of no study ({@code gradlab.retention.finished-jobs}; studies: {@code
 * study.StudyRetention}): every sweep deletes up to {@link #BATCH} jobs that finished longer ago, as a DELETE would.
 * Off unless configured. Each sweep is short (one query, one transaction), so it shares Spring's scheduling thread;
 * a backlog goes at {@link #BATCH} jobs a sweep.
 */
@Component
class JobRetention {

    private static final Logger log = LoggerFactory.getLogger(JobRetention.class);

    static final int BATCH = 100;

    private final JobService jobs;
    private final RetentionProperties properties;

    JobRetention(JobService jobs, RetentionProperties properties) {
        this.jobs = jobs;
        this.properties = properties;
    }

    @Scheduled(
            initialDelayString = "${gradlab.retention.sweep-interval:1m}",
            fixedDelayString = "${gradlab.retention.sweep-interval:1m}")
    void sweep() {
        RetentionSweep.run(properties, "job", cutoff -> {
            List<UUID> deleted = jobs.deleteFinishedBefore(cutoff, BATCH);
            if (!deleted.isEmpty()) {
                log.info(
                        "retention: deleted {} jobs that finished before {} (gradlab.retention.finished-jobs={})",
                        deleted.size(),
                        cutoff,
                        properties.finishedJobs());
            }
        });
    }
}
