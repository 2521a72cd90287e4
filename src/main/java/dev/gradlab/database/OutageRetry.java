package dev.gradlab.database;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.IntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retries a step that failed because the database was unavailable, with backoff (0.1 s doubling to 2 s, on top of
 * the connection pool's own wait), for at most {@code tolerance} from the start of the outage. Any other failure
 * is thrown at once. The step must be safe to repeat: it is told how many times it has been tried, so that a
 * write whose commit may have gone through (the connection died before the answer) can replace what it wrote.
 * <p>
 * One instance may be shared by several callers: the outage then starts at the first failure any of them saw and
 * ends at the next success, so a caller that comes late to an outage does not get a fresh window of its own. A
 * failure more than {@link #SEPARATE_OUTAGES} after the previous one starts a new outage, even if nothing
 * succeeded in between (no caller tried).
 */
public final class OutageRetry {

    private static final Logger log = LoggerFactory.getLogger(OutageRetry.class);
    private static final long NONE = Long.MIN_VALUE;
    private static final long FIRST_BACKOFF_MILLIS = 100;
    private static final long MAX_BACKOFF_MILLIS = 2000;
    /** Longer than a retry's backoff plus a connection wait: failures further apart are two outages. */
    static final Duration SEPARATE_OUTAGES = Duration.ofSeconds(10);

    private final AtomicLong outageStart = new AtomicLong(NONE);
    private final AtomicLong lastFailure = new AtomicLong(NONE);
    private final BooleanSupplier abandon;

    /** @param abandon when true (shutdown), a step waiting for the database gives up at its next failure */
    public OutageRetry(BooleanSupplier abandon) {
        this.abandon = abandon;
    }

    /** A retry with a window of its own (one step, not shared). */
    public static <T> T once(String what, Duration tolerance, BooleanSupplier abandon, IntFunction<T> step) {
        return new OutageRetry(abandon).call(what, tolerance, step);
    }

    /**
     * Runs {@code step} (given the number of earlier tries, 0 the first time) until it succeeds.
     *
     * @throws DatabaseUnavailableException when the database has been unavailable for {@code tolerance}, or the
     *                                      retry is abandoned
     */
    public <T> T call(String what, Duration tolerance, IntFunction<T> step) {
        for (int tries = 0; ; tries++) {
            try {
                T result = step.apply(tries);
                if (outageStart.getAndSet(NONE) != NONE) {
                    log.info("database reachable again: {} done", what);
                }
                return result;
            } catch (RuntimeException e) {
                if (!DatabaseFailures.isUnavailable(e) || e instanceof DatabaseUnavailableException) {
                    throw e;
                }
                long now = System.nanoTime();
                long previous = lastFailure.getAndSet(now);
                if (previous != NONE && now - previous > SEPARATE_OUTAGES.toNanos()) {
                    outageStart.set(now); // a new outage, not the tail of one nobody saw end
                }
                long start = outageStart.compareAndExchange(NONE, now);
                if (start == NONE) {
                    start = now;
                }
                long waited = now - start;
                if (abandon.getAsBoolean()) {
                    throw new DatabaseUnavailableException(
                            "the database was unavailable when " + what + " was abandoned (shutdown): "
                                    + e.getMessage(),
                            e);
                }
                if (waited >= tolerance.toNanos()) {
                    throw new DatabaseUnavailableException(
                            "the database has been unavailable for " + TimeUnit.NANOSECONDS.toSeconds(waited)
                                    + " s, longer than gradlab.jobs.database-outage-tolerance (" + readable(tolerance)
                                    + "): " + e.getMessage(),
                            e);
                }
                if (tries == 0) {
                    log.warn(
                            "database unavailable ({}); {} waits up to {} for it",
                            e.getMessage(),
                            what,
                            readable(tolerance));
                }
                sleep(Math.min(MAX_BACKOFF_MILLIS, FIRST_BACKOFF_MILLIS << Math.min(tries, 10)));
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DatabaseUnavailableException("interrupted while waiting for the database", e);
        }
    }

    private static String readable(Duration d) {
        return d.toString().substring(2).toLowerCase(java.util.Locale.ROOT);
    }
}
