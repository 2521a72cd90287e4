package dev.gradlab.quota;

import dev.gradlab.access.Caller;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Each owner's quotas ({@link QuotaProperties}), checked where jobs, studies and uploads are stored and where a job
 * starts. One owner's checks run one after another: {@link #prepare} (outside the transaction) and then {@link #lock}
 * (first thing inside it) hold the owner's row until the transaction ends, so two simultaneous submissions, on one
 * instance or on several, cannot both pass the last free place. Other owners never wait for that lock.
 */
@Service
public class OwnerQuotas {

    private static final Logger log = LoggerFactory.getLogger(OwnerQuotas.class);
    private static final Duration DAY = Duration.ofDays(1);

    private final JdbcClient jdbc;
    private final QuotaProperties limits;
    private final Clock clock;
    /** Owners whose lock row this instance has seen (rows are never deleted). */
    private final Set<String> prepared = ConcurrentHashMap.newKeySet();

    OwnerQuotas(JdbcClient jdbc, QuotaProperties limits) {
        this.jdbc = jdbc;
        this.limits = limits;
        this.clock = Clock.systemUTC();
    }

    /** The limits in force. */
    public QuotaProperties limits() {
        return limits;
    }

    /** Whether quotas limit this caller: not an admin's (the local user is one). */
    public boolean limits(Caller caller) {
        return !caller.admin();
    }

    /**
     * Makes sure the owner has a lock row. Call it before the transaction that {@link #lock}s: inserting the row
     * inside it could meet another request's insert of the same row, which PostgreSQL answers by failing the whole
     * transaction.
     */
    @Transactional(propagation = Propagation.NOT_SUPPORTED)
    public void prepare(String owner) {
        if (prepared.contains(owner)) {
            return;
        }
        try {
            jdbc.sql("insert into owner_lock (owner) select :owner where not exists "
                            + "(select 1 from owner_lock where owner = :owner)")
                    .param("owner", owner)
                    .update();
        } catch (DuplicateKeyException inserted) {
            // another request inserted it first: it exists
        }
        prepared.add(owner);
    }

    /** Holds the owner's row until the surrounding transaction ends ({@link #prepare} first). */
    @Transactional(propagation = Propagation.MANDATORY)
    public void lock(String owner) {
        if (jdbc.sql("select owner from owner_lock where owner = :owner for update")
                .param("owner", owner)
                .query(String.class)
                .optional()
                .isEmpty()) {
            throw new IllegalStateException("no lock row for owner " + owner + ": prepare(owner) first");
        }
    }

    /** A job to be charged: its id and the iterations it plans. */
    public record Charge(UUID jobId, long iterations) {}

    /**
     * Admits new jobs of {@code owner}, under {@link #lock}: checks they fit in the queued-jobs and the
     * iterations-per-day quotas, and charges their iterations. Charges are recorded for every owner (admins too,
     * unlimited), so that turning a quota on later counts what was already used.
     *
     * @param queuedNow the owner's jobs waiting now
     * @param limited   whether the quotas apply (see {@link #limits(Caller)})
     * @throws QuotaExceededException if they do not fit; nothing is charged
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public void admitJobs(String owner, boolean limited, long queuedNow, List<Charge> jobs) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        if (limited) {
            long queuedLimit = limits.queuedJobs();
            if (queuedLimit > 0 && queuedNow + jobs.size() > queuedLimit) {
                throw new QuotaExceededException(
                        Quota.QUEUED_JOBS,
                        queuedLimit,
                        queuedNow,
                        jobs.size(),
                        limits.queuedRetryAfter(),
                        queuedNow + " of your jobs are waiting"
                                + (jobs.size() == 1 ? "" : " and this study adds " + jobs.size())
                                + "; your quota is " + queuedLimit + " waiting jobs (gradlab.quotas.queued-jobs). "
                                + "Nothing was queued: submit again when some of them have started (see "
                                + "Retry-After), or cancel some.");
            }
            long dayLimit = limits.iterationsPerDay();
            if (dayLimit > 0) {
                checkIterations(
                        owner, jobs.stream().mapToLong(Charge::iterations).sum(), dayLimit, now);
            }
        }
        for (Charge charge : jobs) {
            jdbc.sql("insert into iteration_charge (job_id, owner, charged_at, iterations) "
                            + "values (:job, :owner, :at, :iterations)")
                    .param("job", charge.jobId())
                    .param("owner", owner)
                    .param("at", OffsetDateTime.ofInstant(now, ZoneOffset.UTC))
                    .param("iterations", charge.iterations())
                    .update();
        }
    }

    private void checkIterations(String owner, long requested, long dayLimit, Instant now) {
        record Charged(Instant at, long iterations) {}
        List<Charged> recent = jdbc.sql("select charged_at, iterations from iteration_charge "
                        + "where owner = :owner and charged_at > :since order by charged_at")
                .param("owner", owner)
                .param("since", OffsetDateTime.ofInstant(now.minus(DAY), ZoneOffset.UTC))
                .query((rs, n) ->
                        new Charged(rs.getObject(1, OffsetDateTime.class).toInstant(), rs.getLong(2)))
                .list();
        long used = recent.stream().mapToLong(Charged::iterations).sum();
        if (used + requested <= dayLimit) {
            return;
        }
        Duration retryAfter = null;
        if (requested <= dayLimit) {
            // The earliest moment enough of the last 24 hours' charges have aged out for these iterations to fit.
            long excess = used + requested - dayLimit;
            long freed = 0;
            for (Charged c : recent) {
                freed += c.iterations();
                if (freed >= excess) {
                    retryAfter = Duration.between(now, c.at().plus(DAY));
                    break;
                }
            }
        }
        throw new QuotaExceededException(
                Quota.ITERATIONS_PER_DAY,
                dayLimit,
                used,
                requested,
                retryAfter,
                "Your jobs of the last 24 hours planned " + used + " training iterations and this submission plans "
                        + requested + "; your quota is " + dayLimit + " a day (gradlab.quotas.iterations-per-day). "
                        + (retryAfter == null
                                ? "It plans more than the quota by itself: train fewer epochs or a smaller dataset."
                                : "It fits once older jobs age out of the 24 hours: see Retry-After."));
    }

    /** Gives back a job's charge: it was cancelled while it waited, before it trained at all. */
    public void refund(UUID jobId) {
        jdbc.sql("delete from iteration_charge where job_id = :job")
                .param("job", jobId)
                .update();
    }

    /** The iterations {@code owner}'s jobs planned in the last 24 hours. */
    public long iterationsToday(String owner) {
        return jdbc.sql("select coalesce(sum(iterations), 0) from iteration_charge "
                        + "where owner = :owner and charged_at > :since")
                .param("owner", owner)
                .param("since", OffsetDateTime.ofInstant(clock.instant().minus(DAY), ZoneOffset.UTC))
                .query(Long.class)
                .single();
    }

    /**
     * Checks an owner's uploads leave room for {@code adding} more bytes (under {@link #lock}; with 0 before parsing
     * an upload, to refuse at once an owner who has no room at all).
     *
     * @param usedNow the bytes the owner's uploads take now
     * @throws QuotaExceededException if they do not fit
     */
    public void admitDatasetBytes(boolean limited, long usedNow, long adding) {
        long limit = limits.datasetBytes().toBytes();
        if (!limited || limit == 0 || (adding == 0 ? usedNow < limit : usedNow + adding <= limit)) {
            return;
        }
        throw new QuotaExceededException(
                Quota.DATASET_BYTES,
                limit,
                usedNow,
                adding,
                null,
                "Your uploaded datasets take " + usedNow + " bytes"
                        + (adding == 0 ? "" : " and this one would add " + adding)
                        + "; your quota is " + limit + " bytes (gradlab.quotas.dataset-bytes). Nothing was stored: "
                        + "delete datasets you no longer need (DELETE /api/v1/datasets/{id}).");
    }

    /** Whether a limited owner with {@code runningNow} jobs training may start one more. */
    public boolean mayStart(long runningNow) {
        long limit = limits.runningJobs();
        return limit == 0 || runningNow < limit;
    }

    /** Charges older than two days no longer count for anything. */
    @Scheduled(fixedDelayString = "PT1H", initialDelayString = "PT5M")
    void sweepOldCharges() {
        try {
            int removed = jdbc.sql("delete from iteration_charge where charged_at < :before")
                    .param(
                            "before",
                            OffsetDateTime.ofInstant(clock.instant().minus(DAY.multipliedBy(2)), ZoneOffset.UTC))
                    .update();
            if (removed > 0) {
                log.debug("removed {} iteration charges older than two days", removed);
            }
        } catch (DataAccessException e) {
            log.info("iteration charges not swept this hour: {}", e.getMessage());
        }
    }
}
