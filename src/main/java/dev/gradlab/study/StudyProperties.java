package dev.gradlab.study;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code gradlab.studies.*}.
 *
 * @param maxJobs the most jobs (variants × repeats) one study may create; a larger study is refused (400)
 */
@ConfigurationProperties("gradlab.studies")
public record StudyProperties(Integer maxJobs) {

    public static final int DEFAULT_MAX_JOBS = 64;

    public StudyProperties {
        if (maxJobs == null) {
            maxJobs = DEFAULT_MAX_JOBS;
        }
        if (maxJobs < 1) {
            throw new IllegalArgumentException("gradlab.studies.max-jobs must be at least 1 (was " + maxJobs + ")");
        }
    }

    public static StudyProperties defaults() {
        return new StudyProperties(null);
    }
}
