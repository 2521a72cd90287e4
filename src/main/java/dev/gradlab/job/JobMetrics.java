package dev.gradlab.job;

import dev.gradlab.training.EpochMetrics;
import dev.gradlab.training.IterationMetrics;
import dev.gradlab.training.TrainingObserver;
import dev.gradlab.training.TrainingPlan;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.LongSupplier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The job queue's meters (docs/OPERATIONS.md lists them): jobs submitted and finished here, jobs training here,
 * jobs waiting in the shared queue, and the iterations this instance's jobs have trained.
 */
@Component
class JobMetrics {

    /** What submitted a job: {@code POST /api/v1/jobs} or a study. */
    enum Source {
        JOB,
        STUDY
    }

    private final Map<Source, Counter> submitted = new EnumMap<>(Source.class);
    private final Map<JobStatus, Counter> finished = new EnumMap<>(JobStatus.class);
    private final Counter iterations;
    private final CachedCount queued;

    JobMetrics(
            MeterRegistry registry,
            JobRepository jobs,
            RunningJobs running,
            @Value("${gradlab.metrics.queued-cache:5s}") Duration queuedCache) {
        for (Source source : Source.values()) {
            submitted.put(
                    source,
                    Counter.builder("gradlab.jobs.submitted")
                            .description("Jobs accepted by this instance (an Idempotency-Key replay is not counted)")
                            .tag("source", source.name().toLowerCase(java.util.Locale.ROOT))
                            .register(registry));
        }
        for (JobStatus status : JobStatus.values()) {
            if (status.finished()) {
                finished.put(
                        status,
                        Counter.builder("gradlab.jobs.finished")
                                .description("Jobs this instance moved to a final status")
                                .tag("status", status.name())
                                .register(registry));
            }
        }
        iterations = Counter.builder("gradlab.training.iterations")
                .description("Training iterations (minibatches) run by this instance's jobs; rate() is iterations/s")
                .register(registry);
        Gauge.builder("gradlab.jobs.running", running, RunningJobs::count)
                .description("Jobs training on this instance now")
                .register(registry);
        queued = new CachedCount(() -> jobs.countByStatus(JobStatus.QUEUED), queuedCache);
        Gauge.builder("gradlab.jobs.queued", queued, CachedCount::value)
                .description("Jobs waiting in the queue, shared by every instance on this database (read at most "
                        + "every gradlab.metrics.queued-cache; NaN while the database cannot be read)")
                .register(registry);
    }

    void submitted(Source source, int jobs) {
        submitted.get(source).increment(jobs);
    }

    void finished(JobStatus status) {
        Counter counter = finished.get(status);
        if (counter != null) {
            counter.increment();
        }
    }

    /** The observer, with each iteration counted on the way. */
    TrainingObserver countingIterations(TrainingObserver observer) {
        return new TrainingObserver() {
            @Override
            public void onStart(TrainingPlan plan) {
                observer.onStart(plan);
            }

            @Override
            public void onIteration(IterationMetrics metrics) {
                iterations.increment();
                observer.onIteration(metrics);
            }

            @Override
            public void onEpoch(EpochMetrics metrics) {
                observer.onEpoch(metrics);
            }
        };
    }

    /**
     * A count read from the database at most once per {@code maxAge}: Prometheus (or several) scraping every few
     * seconds, on every instance, must not become a load of its own. While the database cannot be read the value is
     * NaN (unknown), not the last count, and the next read waits for {@code maxAge} as well.
     */
    static final class CachedCount {
        private final LongSupplier read;
        private final long maxAgeNanos;
        private double value = Double.NaN;
        private long readAt;
        private boolean everRead;

        CachedCount(LongSupplier read, Duration maxAge) {
            this.read = read;
            this.maxAgeNanos = maxAge.toNanos();
        }

        synchronized double value() {
            long now = System.nanoTime();
            if (!everRead || now - readAt >= maxAgeNanos) {
                everRead = true;
                readAt = now;
                try {
                    value = read.getAsLong();
                } catch (RuntimeException e) {
                    value = Double.NaN;
                }
            }
            return value;
        }
    }
}
