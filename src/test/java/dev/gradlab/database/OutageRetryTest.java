package dev.gradlab.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.CannotGetJdbcConnectionException;

/** Retries while the database is unavailable, for a bounded window shared by its callers; nothing else. */
class OutageRetryTest {

    private static RuntimeException unavailable() {
        return new CannotGetJdbcConnectionException(
                "Failed to obtain JDBC Connection", new SQLTransientConnectionException("timed out after 2000ms"));
    }

    @Test
    void retriesUntilTheDatabaseAnswersTellingTheStepHowOftenItWasTried() {
        List<Integer> tries = new ArrayList<>();
        String result = OutageRetry.once("a step", Duration.ofSeconds(30), () -> false, n -> {
            tries.add(n);
            if (n < 2) {
                throw unavailable();
            }
            return "stored";
        });
        assertThat(result).isEqualTo("stored");
        assertThat(tries).containsExactly(0, 1, 2);
    }

    @Test
    void anyOtherFailureIsThrownAtOnce() {
        List<Integer> tries = new ArrayList<>();
        assertThatThrownBy(() -> OutageRetry.once("a step", Duration.ofSeconds(30), () -> false, n -> {
                    tries.add(n);
                    throw new IllegalStateException("taken over by another attempt");
                }))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("taken over by another attempt");
        assertThat(tries).containsExactly(0);
    }

    @Test
    void givesUpOnceTheOutageHasLastedTheTolerance() {
        long start = System.nanoTime();
        assertThatThrownBy(() -> OutageRetry.once("a step", Duration.ofMillis(500), () -> false, n -> {
                    throw unavailable();
                }))
                .isInstanceOf(DatabaseUnavailableException.class)
                .hasMessageContaining("longer than gradlab.jobs.database-outage-tolerance (0.5s)")
                .hasCauseInstanceOf(CannotGetJdbcConnectionException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - start))
                .isBetween(Duration.ofMillis(500), Duration.ofSeconds(5));
    }

    @Test
    void aCallerThatComesLateToAnOutageGetsWhatIsLeftOfTheWindowNotAFreshOne() {
        OutageRetry shared = new OutageRetry(() -> false);
        assertThatThrownBy(() -> shared.call("the first write", Duration.ofMillis(400), n -> {
                    throw unavailable();
                }))
                .isInstanceOf(DatabaseUnavailableException.class);
        List<Integer> tries = new ArrayList<>();
        assertThatThrownBy(() -> shared.call("the next write", Duration.ofMillis(400), n -> {
                    tries.add(n);
                    throw unavailable();
                }))
                .isInstanceOf(DatabaseUnavailableException.class);
        assertThat(tries)
                .as("tried once, then the same outage's window had passed")
                .containsExactly(0);

        String after = shared.call("after the outage", Duration.ofMillis(400), n -> "stored");
        assertThat(after).isEqualTo("stored");
        tries.clear();
        String again = shared.call("in a new outage", Duration.ofSeconds(30), n -> {
            tries.add(n);
            if (n == 0) {
                throw unavailable();
            }
            return "stored";
        });
        assertThat(again).isEqualTo("stored");
        assertThat(tries).as("a success ended the outage: a fresh window").containsExactly(0, 1);
    }

    @Test
    void aShutdownAbandonsTheWaitAtTheNextFailure() {
        AtomicBoolean shuttingDown = new AtomicBoolean(true);
        assertThatThrownBy(() -> OutageRetry.once("a step", Duration.ofMinutes(5), shuttingDown::get, n -> {
                    throw unavailable();
                }))
                .isInstanceOf(DatabaseUnavailableException.class)
                .hasMessageContaining("abandoned (shutdown)");
    }
}
