package dev.gradlab.job;

import dev.gradlab.metric.MetricRecorder;
import dev.gradlab.metric.MetricStore;
import dev.gradlab.metric.MetricWriter;
import dev.gradlab.spec.ExperimentSpec;
import dev.gradlab.training.ExperimentTrainer;
import dev.gradlab.training.TrainingOutcome;
import dev.gradlab.training.TrainingStatus;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs one job on a queue thread: claims it, clears metrics a lost earlier attempt may have left, trains, stores
 * the metrics and the outcome. Anything that goes wrong ends the job FAILED with a readable reason; nothing
 * escapes to the queue, so one bad job never blocks the others.
 */
@Component
class JobRunner {

    private static final Logger log = LoggerFactory.getLogger(JobRunner.class);

    private final JobRepository jobs;
    private final MetricStore metricStore;
    private final MetricWriter metricWriter;
    private final RunningJobs running;
    private final JsonMapper json;
    private final String worker;

    JobRunner(JobRepository jobs, MetricStore metricStore, MetricWriter metricWriter, RunningJobs running,
              JsonMapper json, JobProperties properties) {
        this.jobs = jobs;
        this.metricStore = metricStore;
        this.metricWriter = metricWriter;
        this.running = running;
        this.json = json;
        this.worker = properties.workerId();
    }

    void run(UUID id) {
        if (jobs.start(id, worker, Instant.now()) == 0) {
            log.info("job {} not started: cancelled or already finished", id);
            return;
        }
        AtomicBoolean cancelled = running.register(id);
        long iteration = 0;
        int epoch = 0;
        try {
            ExperimentSpec spec = json.readValue(jobs.findById(id).orElseThrow().getSpec(), ExperimentSpec.class);
            metricStore.deleteJob(id); // a previous attempt's points would interleave with this one's
            TrainingOutcome outcome;
            MetricRecorder recorder = metricWriter.open(id, (it, ep) -> jobs.progress(id, it, ep));
            try {
                outcome = new ExperimentTrainer().train(spec, recorder,
                        () -> cancelled.get() || running.shuttingDown());
            } finally {
                recorder.close();
            }
            if (outcome.status() == TrainingStatus.CANCELLED && !cancelled.get()) {
                jobs.requeue(id);
                log.info("job {} stopped for shutdown at iteration {}; queued again", id, outcome.iterations());
                throw new StoppedForShutdown(id);
            }
            iteration = outcome.iterations();
            epoch = outcome.epochs();
            JobStatus status = switch (outcome.status()) {
                case COMPLETED -> JobStatus.SUCCEEDED;
                case DIVERGED -> JobStatus.DIVERGED;
                case CANCELLED -> JobStatus.CANCELLED;
            };
            var d = outcome.divergence();
            jobs.finish(id, status, Instant.now(), iteration, epoch, outcome.finalLoss(), outcome.trainAccuracy(),
                    outcome.testAccuracy(), d == null ? null : d.iteration(), d == null ? null : d.layer(),
                    d == null ? null : d.layerIndex(), d == null ? null : d.quantity(), null, outcome.wallTimeMillis());
            log.info("job {} {} after {} iterations", id, status, iteration);
        } catch (StoppedForShutdown e) {
            throw e;
        } catch (Throwable t) { // OutOfMemoryError included: the job fails, the service goes on
            log.warn("job {} failed", id, t);
            jobs.finish(id, JobStatus.FAILED, Instant.now(), iteration, epoch, null, null, null, null, null, null,
                    null, readable(t), null);
        } finally {
            running.unregister(id);
        }
    }

    /** Makes db-scheduler keep the job's execution (retry later) instead of deleting it as done. */
    static final class StoppedForShutdown extends RuntimeException {
        StoppedForShutdown(UUID id) {
            super("job " + id + " stopped for shutdown", null, false, false);
        }
    }

    static String readable(Throwable t) {
        String what = t instanceof OutOfMemoryError ? "out of memory"
                : t.getClass().getSimpleName().replaceAll("(Exception|Error)$", "").replaceAll("([a-z])([A-Z])", "$1 $2")
                        .toLowerCase();
        String message = t.getMessage() == null ? "" : ": " + t.getMessage();
        String text = "training failed (" + what + ")" + message;
        return text.length() > 1900 ? text.substring(0, 1900) + "…" : text;
    }
}
