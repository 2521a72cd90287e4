package dev.gradlab.job;

import dev.gradlab.database.DatabaseFailures;
import java.sql.Connection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Makes a commit that the API acknowledges (a job accepted, a cancel, an outcome) survive a killed process. H2
 * writes commits to its file in the background, up to half a second later: a SIGKILL in that window lost jobs
 * already answered 202. {@code CHECKPOINT} writes them out now (under a millisecond). H2's {@code WRITE_DELAY=0}
 * would do it for every commit, metric writes included, but it also stops H2's background compaction: the file
 * grew fifteenfold in the metric ingest bench. PostgreSQL's commits are durable already.
 * <p>
 * If the file cannot be written (a full disk), the commit is not durable and H2 may drop it: the failure is thrown,
 * so the client is not told "accepted" (it gets 503 and retries, with its Idempotency-Key to be sure).
 */
@Component
public class CommitFlusher {

    private static final Logger log = LoggerFactory.getLogger(CommitFlusher.class);

    private final JdbcTemplate jdbc;
    private volatile Boolean h2;

    CommitFlusher(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Writes out what has been committed (H2); nothing to do on PostgreSQL. */
    public void flush() {
        if (!isH2()) {
            return;
        }
        try {
            jdbc.execute("CHECKPOINT");
        } catch (RuntimeException e) {
            if (DatabaseFailures.isUnavailable(e)) {
                throw e; // the file cannot be written: the change may be lost, don't acknowledge it
            }
            // Committed all the same; only the crash window stays open (CHECKPOINT needs an H2 admin user).
            log.warn("H2 CHECKPOINT failed; a crash within the next half second could lose this change", e);
        }
    }

    private boolean isH2() {
        Boolean known = h2;
        if (known == null) {
            String product = jdbc.execute((ConnectionCallback<String>)
                    (Connection c) -> c.getMetaData().getDatabaseProductName());
            known = "H2".equals(product);
            h2 = known;
        }
        return known;
    }
}
