package dev.gradlab.job;

import dev.gradlab.database.DatabaseFailures;
import dev.gradlab.metric.MetricStore;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Removes deleted jobs' measurements on a thread of its own ({@code job-purger}), a few hundred rows per
 * transaction. The job row goes at once with the DELETE, and with it every way in (the API answers 404, a running
 * attempt's writes are refused); a 200,000-iteration job still has some 33,000 chunks of points, and deleting them
 * in one transaction would hold their locks, and H2's or PostgreSQL's write path, long enough to stall the metric
 * writes of the jobs that are training. Batch by batch, those writes slip in between.
 * <p>
 * The work list is the {@code job_purge} table, written in the deleting transaction, so nothing is forgotten: the
 * instance that deleted a job purges it at once, claiming it until {@link #CLAIM} from now and renewing the claim
 * after each batch; if it stops meanwhile, any instance's periodic check
 * ({@code gradlab.retention.purge-check-interval}) finds the claim run out and finishes the job.
 */
@Component
class JobPurger implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(JobPurger.class);

    /** Rows deleted per transaction: a few MB of points at most, a few milliseconds of locks. */
    static final int BATCH_ROWS = 500;

    /** How long a claim on a deleted job holds without being renewed. */
    static final Duration CLAIM = Duration.ofMinutes(2);

    private final JdbcTemplate jdbc;
    private final MetricStore metrics;
    private final String worker;
    private final ScheduledExecutorService thread;

    JobPurger(JdbcTemplate jdbc, MetricStore metrics, JobProperties jobs, RetentionProperties retention) {
        this.jdbc = jdbc;
        this.metrics = metrics;
        this.worker = jobs.workerId();
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "job-purger");
            t.setDaemon(true);
            return t;
        });
        long every = retention.purgeCheckInterval().toMillis();
        thread.scheduleWithFixedDelay(this::purgeUnclaimed, every, every, TimeUnit.MILLISECONDS);
    }

    /** In the transaction that deletes the job row: its measurements are to be removed. */
    void enqueue(UUID jobId, Instant deletedAt) {
        jdbc.update("insert into job_purge (job_id, deleted_at) values (?, ?)", jobId, Timestamp.from(deletedAt));
    }

    /** After that transaction has committed: removes them now, in the background. */
    void purgeSoon(Collection<UUID> jobIds) {
        if (!jobIds.isEmpty()) {
            List<UUID> ids = List.copyOf(jobIds);
            thread.execute(() -> ids.forEach(this::purge));
        }
    }

    /** Deleted jobs nobody is purging: left by an instance that stopped, or not yet claimed by the one deleting. */
    void purgeUnclaimed() {
        try {
            jdbc.queryForList(
                            "select job_id from job_purge where claimed_until is null or claimed_until < ?"
                                    + " order by deleted_at fetch first 100 rows only",
                            UUID.class,
                            Timestamp.from(Instant.now()))
                    .forEach(this::purge);
        } catch (RuntimeException e) {
            failed("looking for deleted jobs to purge", e);
        }
    }

    /** Removes one deleted job's rows, batch by batch, while this instance holds its claim. */
    void purge(UUID jobId) {
        try {
            long started = System.nanoTime();
            long rows = 0;
            int batch = BATCH_ROWS;
            while (batch == BATCH_ROWS) {
                if (!claim(jobId)) {
                    return; // another instance purges it, or it is done
                }
                batch = metrics.deleteSome(jobId, BATCH_ROWS);
                rows += batch;
            }
            jdbc.update("delete from job_purge where job_id = ? and claimed_by = ?", jobId, worker);
            log.info(
                    "deleted job {}: {} metric rows removed in {} ms",
                    jobId,
                    rows,
                    (System.nanoTime() - started) / 1_000_000);
        } catch (RuntimeException e) {
            failed("purging deleted job " + jobId, e);
        }
    }

    /** Claims the job for {@link #CLAIM}, or renews this instance's claim; false if another instance holds it. */
    private boolean claim(UUID jobId) {
        Instant now = Instant.now();
        return jdbc.update(
                        "update job_purge set claimed_by = ?, claimed_until = ? where job_id = ?"
                                + " and (claimed_until is null or claimed_until < ? or claimed_by = ?)",
                        worker,
                        Timestamp.from(now.plus(CLAIM)),
                        jobId,
                        Timestamp.from(now),
                        worker)
                == 1;
    }

    /** Nothing is lost: the job stays in job_purge, and the next check (here or elsewhere) goes on with it. */
    private static void failed(String what, RuntimeException e) {
        if (DatabaseFailures.isUnavailable(e)) {
            log.info("{} postponed: the database is unavailable ({})", what, e.getMessage());
        } else {
            log.warn("{} failed; retried by the next check", what, e);
        }
    }

    @Override
    public void destroy() throws InterruptedException {
        thread.shutdownNow();
        thread.awaitTermination(5, TimeUnit.SECONDS);
    }
}
