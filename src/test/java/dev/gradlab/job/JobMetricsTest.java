package dev.gradlab.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gradlab.training.IterationMetrics;
import dev.gradlab.training.TrainingObserver;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The queue's meters without a server: the cached count, the iteration counter, finished-by-status. */
class JobMetricsTest {

    @Test
    void theQueuedCountIsReadOncePerMaxAgeHoweverOftenItIsScraped() {
        AtomicInteger reads = new AtomicInteger();
        JobMetrics.CachedCount count =
                new JobMetrics.CachedCount(() -> reads.incrementAndGet() * 10L, Duration.ofHours(1));
        for (int i = 0; i < 100; i++) {
            assertThat(count.value()).isEqualTo(10.0);
        }
        assertThat(reads).hasValue(1);

        JobMetrics.CachedCount fresh = new JobMetrics.CachedCount(reads::incrementAndGet, Duration.ZERO);
        fresh.value();
        fresh.value();
        assertThat(reads).hasValue(3);
    }

    @Test
    void anUnreadableDatabaseIsNaNNotTheLastCount() {
        AtomicInteger reads = new AtomicInteger();
        JobMetrics.CachedCount count = new JobMetrics.CachedCount(
                () -> {
                    if (reads.incrementAndGet() > 1) {
                        throw new IllegalStateException("connection refused");
                    }
                    return 7;
                },
                Duration.ZERO);
        assertThat(count.value()).isEqualTo(7.0);
        assertThat(count.value()).isNaN();
        assertThat(reads).hasValue(2);
    }

    @Test
    void iterationsAndOutcomesAreCounted() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        JobMetrics metrics = new JobMetrics(registry, null, new RunningJobs(null), Duration.ofSeconds(5));
        AtomicInteger seen = new AtomicInteger();
        TrainingObserver counting = metrics.countingIterations(m -> seen.incrementAndGet());
        for (int i = 1; i <= 7; i++) {
            counting.onIteration(new IterationMetrics(i, 1, 0.5, List.of()));
        }
        metrics.finished(JobStatus.DIVERGED);
        metrics.finished(JobStatus.RUNNING); // not a final status: no counter
        metrics.submitted(JobMetrics.Source.STUDY, 4);

        assertThat(seen).hasValue(7);
        assertThat(registry.get("gradlab.training.iterations").counter().count())
                .isEqualTo(7);
        assertThat(registry.get("gradlab.jobs.finished")
                        .tag("status", "DIVERGED")
                        .counter()
                        .count())
                .isEqualTo(1);
        assertThat(registry.get("gradlab.jobs.finished").counters()).hasSize(4);
        assertThat(registry.get("gradlab.jobs.submitted")
                        .tag("source", "study")
                        .counter()
                        .count())
                .isEqualTo(4);
        assertThat(registry.get("gradlab.jobs.running").gauge().value()).isZero();
    }
}
