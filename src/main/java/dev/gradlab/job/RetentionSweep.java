package dev.gradlab.job;

import dev.gradlab.database.DatabaseFailures;
import java.time.Instant;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shape every retention sweep has (jobs here, studies in study.StudyRetention): nothing while retention is off;
 * otherwise the work, given the cutoff. A database outage skips the sweep quietly (the next one tries again);
 * anything else is an error to see.
 */
public final class RetentionSweep {

    private static final Logger log = LoggerFactory.getLogger(RetentionSweep.class);

    private RetentionSweep() {}

    /** @param what what is swept, for the log line of a skipped sweep */
    public static void run(RetentionProperties properties, String what, Consumer<Instant> deleteFinishedBefore) {
        Instant cutoff = properties.cutoff(Instant.now()).orElse(null);
        if (cutoff == null) {
            return;
        }
        try {
            deleteFinishedBefore.accept(cutoff);
        } catch (RuntimeException e) {
            if (!DatabaseFailures.isUnavailable(e)) {
                throw e;
            }
            log.info("{} retention sweep skipped: the database is unavailable", what);
        }
    }
}
