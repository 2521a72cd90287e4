package dev.gradlab.study;

import dev.gradlab.job.JobService;
import dev.gradlab.job.RetentionProperties;
import dev.gradlab.job.RetentionSweep;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The retention policy for studies ({@code gradlab.retention.finished-jobs}, as for jobs of no study): a study
 * whose every job finished longer ago is deleted whole, as a DELETE would, up to {@link #BATCH} a sweep. A study
 * is kept while any of its jobs is queued or running, or finished recently: its table compares all its jobs.
 * Retention is the operator's policy: it deletes every owner's studies.
 */
@Component
class StudyRetention {

    private static final Logger log = LoggerFactory.getLogger(StudyRetention.class);

    static final int BATCH = 10;

    private final JobService jobs;
    private final StudyService studies;
    private final RetentionProperties properties;

    StudyRetention(JobService jobs, StudyService studies, RetentionProperties properties) {
        this.jobs = jobs;
        this.studies = studies;
        this.properties = properties;
    }

    @Scheduled(
            initialDelayString = "${gradlab.retention.sweep-interval:1m}",
            fixedDelayString = "${gradlab.retention.sweep-interval:1m}")
    void sweep() {
        RetentionSweep.run(properties, "study", cutoff -> {
            for (UUID id : jobs.studiesFinishedBefore(cutoff, BATCH)) {
                try {
                    int count = studies.remove(id).size();
                    log.info("retention: deleted study {} and its {} jobs, all finished before {}", id, count, cutoff);
                } catch (StudyNotFoundException e) {
                    // another instance's sweep deleted it first
                }
            }
        });
    }
}
