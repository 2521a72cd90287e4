package dev.gradlab.job;

import dev.gradlab.database.DatabaseFailures;
import dev.gradlab.database.OutageRetry;
import dev.gradlab.metric.MetricRecorder;
import dev.gradlab.metric.MetricStore;
import dev.gradlab.metric.MetricWriter;
import dev.gradlab.quota.OwnerQuotas;
import dev.gradlab.spec.ExperimentSpec;
import dev.gradlab.training.ExperimentTrainer;
import dev.gradlab.training.TrainingOutcome;
import dev.gradlab.training.TrainingStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs one job on a queue thread: claims it, clears metrics a lost earlier attempt may have left, trains, stores
 * the metrics and the outcome. Anything the job itself does wrong ends it FAILED with a readable reason; nothing
 * escapes to the queue, so one bad job never blocks the others.
 * <p>
 * The database going away is not the job's fault. Every step that touches it waits for it, retrying, for up to
 * {@code gradlab.jobs.database-outage-tolerance} (training pauses meanwhile, see {@link MetricRecorder}); an
 * outage longer than that hands the job back to the queue for its next attempt, as a shutdown does.
 * <p>
 * Every update an attempt makes is conditional on its attempt number: if this instance was given up for dead
 * and another one runs the job again, this attempt can no longer touch the job or its metrics, and it stops.
 */
@Component
class JobRunner {

    private static final Logger log = LoggerFactory.getLogger(JobRunner.class);

    private final JobRepository jobs;
    private final MetricStore metricStore;
    private final MetricWriter metricWriter;
    private final RunningJobs running;
    private final JsonMapper json;
    private final TransactionTemplate transactions;
    private final String worker;
    private final Duration maxWallTime;
    private final int maxAttempts;
    private final Duration outageTolerance;
    private final CommitFlusher flusher;
    private final ExperimentTrainer trainer;
    private final JobMetrics metrics;
    private final OwnerQuotas quotas;

    JobRunner(
            JobRepository jobs,
            MetricStore metricStore,
            MetricWriter metricWriter,
            RunningJobs running,
            JsonMapper json,
            TransactionTemplate transactions,
            JobProperties properties,
            CommitFlusher flusher,
            ExperimentTrainer trainer,
            JobMetrics metrics,
            OwnerQuotas quotas) {
        this.jobs = jobs;
        this.metricStore = metricStore;
        this.metricWriter = metricWriter;
        this.running = running;
        this.json = json;
        this.transactions = transactions;
        this.worker = properties.workerId();
        this.maxWallTime = properties.maxWallTime();
        this.maxAttempts = properties.maxAttempts();
        this.outageTolerance = properties.databaseOutageTolerance();
        this.flusher = flusher;
        this.trainer = trainer;
        this.metrics = metrics;
        this.quotas = quotas;
    }

    /** The MDC key under which every log line of a job's run carries its id (the log pattern shows it). */
    static final String JOB_ID = "jobId";

    /**
     * @return false if the job was not started because its owner has as many jobs training as their running-jobs
     *     quota allows: it stays QUEUED and the queue offers it again later (others' jobs start meanwhile)
     */
    boolean run(UUID id) {
        try (MDC.MDCCloseable jobId = MDC.putCloseable(JOB_ID, id.toString())) {
            return runJob(id);
        }
    }

    /** A claim's result: the claimed job; or none (finished, cancelled, or started too often); or held back. */
    private record Claim(Job job, boolean heldBack) {
        static final Claim NONE = new Claim(null, false);
        static final Claim HELD_BACK = new Claim(null, true);
    }

    private boolean runJob(UUID id) {
        Job waiting = waitingForDatabase(
                "reading job " + id, tries -> jobs.findById(id).orElse(null));
        // The owner's running-jobs quota: counted under the owner's lock, so instances starting their jobs at the
        // same moment cannot pass it together.
        boolean quota = waiting != null
                && !waiting.getStatus().finished()
                && !waiting.isQuotaExempt()
                && quotas.limits().runningJobs() > 0;
        if (quota) {
            waitingForDatabase("preparing the quota lock of job " + id, tries -> {
                quotas.prepare(waiting.getOwner());
                return null;
            });
        }
        // One transaction: the row stays locked from the claim to the read, so the attempt read is ours. (A retry
        // after a commit whose answer was lost claims once more: one attempt number is skipped, nothing else.)
        Claim claim = waitingForDatabase(
                "claiming job " + id,
                tries -> transactions.execute(tx -> {
                    if (quota) {
                        quotas.lock(waiting.getOwner());
                        if (!quotas.mayStart(jobs.countRunningLimited(waiting.getOwner(), id))) {
                            return Claim.HELD_BACK;
                        }
                    }
                    return jobs.start(id, worker, Instant.now(), maxAttempts) == 1
                            ? new Claim(jobs.findById(id).orElseThrow(), false)
                            : Claim.NONE;
                }));
        if (claim.heldBack()) {
            log.debug(
                    "job {} waits: its owner {} has as many jobs training as the running-jobs quota allows",
                    id,
                    waiting.getOwner());
            return false;
        }
        Job job = claim.job();
        if (job == null) {
            if (jobs.cancelAbandoned(id, Instant.now()) == 1) {
                flusher.flush();
                metrics.finished(JobStatus.CANCELLED);
                log.info("job {} cancelled while its instance was gone; not run again", id);
            } else if (jobs.giveUp(
                            id,
                            maxAttempts,
                            Instant.now(),
                            "started " + maxAttempts + " times without "
                                    + "finishing: its instance crashed or stopped each time (gradlab.jobs.max-attempts)")
                    == 1) {
                flusher.flush();
                metrics.finished(JobStatus.FAILED);
                log.warn("job {} given up after {} attempts", id, maxAttempts);
            } else {
                log.info("job {} not started: cancelled or already finished", id);
            }
            return true;
        }
        int attempt = job.getAttempt();
        log.info("job {} attempt {} started on {}", id, attempt, worker);
        AtomicBoolean stop = running.register(id, attempt);
        long deadline = System.nanoTime() + maxWallTime.toNanos();
        AtomicBoolean overTime = new AtomicBoolean();
        long iteration = 0;
        int epoch = 0;
        try {
            // withDefaults: a job queued before a spec field was added (e.g. training.evaluationSamples) lacks it
            ExperimentSpec spec =
                    json.readValue(job.getSpec(), ExperimentSpec.class).withDefaults();
            // A previous attempt's points would interleave with this one's; fenced like every metric write.
            waitingForDatabase("clearing earlier metrics of job " + id, tries -> {
                metricStore.deleteJob(id, () -> jobs.progress(id, attempt, 0, 0, 0) == 1);
                return null;
            });
            TrainingOutcome outcome;
            MetricRecorder recorder = metricWriter.open(
                    id, outageTolerance, (it, ep, bytes) -> jobs.progress(id, attempt, it, ep, bytes) == 1);
            try {
                outcome = trainer.train(
                        spec,
                        metrics.countingIterations(recorder),
                        () -> stop.get()
                                || running.shuttingDown()
                                || recorder.failed()
                                || overTime(deadline, overTime));
            } finally {
                recorder.close(); // throws if a write failed: the job then fails below
            }
            iteration = outcome.iterations();
            epoch = outcome.epochs();
            boolean stoppedHere = outcome.status() == TrainingStatus.CANCELLED && !stop.get();
            if (stoppedHere && !overTime.get()) { // shutdown: hand the job back for any instance to run again
                if (jobs.requeue(id, attempt) == 1) {
                    log.info("job {} stopped for shutdown at iteration {}; queued again", id, iteration);
                }
                throw new HandedBack(id);
            }
            boolean timedOut = stoppedHere;
            JobStatus status = timedOut
                    ? JobStatus.FAILED
                    : switch (outcome.status()) {
                        case COMPLETED -> JobStatus.SUCCEEDED;
                        case DIVERGED -> JobStatus.DIVERGED;
                        // asked to, or taken over elsewhere (and then the finish below matches nothing)
                        case CANCELLED -> JobStatus.CANCELLED;
                    };
            String error = timedOut
                    ? "exceeded the wall-time limit of " + readable(maxWallTime)
                            + " (gradlab.jobs.max-wall-time) after " + iteration + " iterations"
                    : null;
            AttemptEnd end = AttemptEnd.of(outcome, status, error, Instant.now());
            recorded(id, attempt, end, iteration, finish(id, attempt, end));
        } catch (HandedBack e) {
            throw e;
        } catch (Throwable t) { // OutOfMemoryError included: the job fails, the service goes on
            if (DatabaseFailures.isUnavailable(t)) {
                handBack(id, attempt, t); // not the job's fault
            }
            if (deleted(id)) { // its writes were refused: nothing failed, nobody is waiting for an outcome
                log.info("job {} attempt {} stopped: the job was deleted", id, attempt);
                return true;
            }
            log.warn("job {} failed", id, t);
            AttemptEnd end = AttemptEnd.failed(iteration, epoch, readable(t), Instant.now());
            recorded(id, attempt, end, iteration, finish(id, attempt, end));
        } finally {
            running.unregister(id, attempt);
        }
        return true;
    }

    private static boolean overTime(long deadline, AtomicBoolean overTime) {
        if (System.nanoTime() - deadline > 0) {
            overTime.set(true);
        }
        return overTime.get();
    }

    /**
     * Writes the outcome, waiting for the database. @return whether it was written: false if another attempt owns
     * the job. A retry whose first try did commit finds the outcome already there, which counts as written.
     */
    private boolean finish(UUID id, int attempt, AttemptEnd end) {
        return waitingForDatabase("recording the outcome of job " + id, tries -> {
            if (jobs.finish(id, attempt, end) == 1) {
                return true;
            }
            return tries > 0
                    && jobs.findById(id)
                            .filter(j -> j.getAttempt() == attempt && j.getStatus() == end.status())
                            .isPresent();
        });
    }

    /**
     * The database stayed away longer than the tolerance: the job goes back to the queue (QUEUED, same attempt
     * number; the next run takes the next one) and db-scheduler runs its execution again. If even that cannot be
     * written, the job stays RUNNING with its execution picked here, and is run again like a crashed instance's
     * once the database is back and the execution's heartbeat is found stale.
     */
    private void handBack(UUID id, int attempt, Throwable why) {
        log.warn(
                "job {} attempt {} stopped: the database was unavailable too long ({}); handing it back to the queue",
                id,
                attempt,
                why.getMessage());
        try {
            if (waitingForDatabase("handing job " + id + " back to the queue", tries -> jobs.requeue(id, attempt))
                    == 1) {
                log.info("job {} queued again after a database outage", id);
                flusher.flush(); // if this fails too, the hand-back may be lost: then it runs again as after a crash
            }
        } catch (RuntimeException e) {
            if (!DatabaseFailures.isUnavailable(e)) {
                throw e;
            }
            log.warn(
                    "job {} could not be handed back ({}); it runs again once its execution is found dead",
                    id,
                    e.getMessage());
        }
        throw new HandedBack(id);
    }

    /** Whether the job's row is gone (DELETE, or retention) rather than taken over; false if that cannot be read. */
    private boolean deleted(UUID id) {
        try {
            return !jobs.existsById(id);
        } catch (RuntimeException e) {
            return false;
        }
    }

    private <T> T waitingForDatabase(String what, IntFunction<T> step) {
        return OutageRetry.once(what, outageTolerance, running::shuttingDown, step);
    }

    /** Forces a recorded outcome out (one someone may have seen is not undone by a crash), and logs it. */
    private void recorded(UUID id, int attempt, AttemptEnd end, long iteration, boolean updated) {
        if (updated) {
            flusher.flush();
            metrics.finished(end.status());
            log.info("job {} {} after {} iterations", id, end.status(), iteration);
        } else if (deleted(id)) {
            log.info("job {} attempt {} stopped after {} iterations: the job was deleted", id, attempt, iteration);
        } else {
            log.warn(
                    "job {} attempt {} ended {} but was taken over by another attempt; its outcome is dropped",
                    id,
                    attempt,
                    end.status());
        }
    }

    /**
     * Makes db-scheduler keep the job's execution and run it again (retry later) instead of deleting it as done:
     * the job was stopped for shutdown, or by a database outage, and is QUEUED again.
     */
    static final class HandedBack extends RuntimeException {
        HandedBack(UUID id) {
            super("job " + id + " handed back to the queue", null, false, false);
        }
    }

    /** 2h, 1h30m, 0.5s: the way the property is written. */
    static String readable(Duration d) {
        return d.toString().substring(2).toLowerCase(Locale.ROOT);
    }

    static String readable(Throwable t) {
        String what = t instanceof OutOfMemoryError
                ? "out of memory"
                : t.getClass()
                        .getSimpleName()
                        .replaceAll("(Exception|Error)$", "")
                        .replaceAll("([A-Z])([A-Z][a-z])", "$1 $2") // ND4JIllegalState: the acronym is a word
                        .replaceAll("([a-z])([A-Z])", "$1 $2")
                        .toLowerCase(Locale.ROOT);
        String message = t.getMessage() == null ? "" : ": " + t.getMessage();
        String text = "training failed (" + what + ")" + message;
        return text.length() > 1900 ? text.substring(0, 1900) + "…" : text;
    }
}
