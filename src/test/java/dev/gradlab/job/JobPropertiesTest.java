package dev.gradlab.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.handler.NoUnboundElementsBindHandler;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** {@code gradlab.jobs.*}: defaults, refused values, and the names application.properties uses. */
class JobPropertiesTest {

    private static JobProperties defaults() {
        return new JobProperties(null, null, null, null, null, null, null, null, null, null);
    }

    private static JobProperties bind(Map<?, ?> properties) {
        Binder binder = new Binder(new MapConfigurationPropertySource(properties));
        BindHandler strict = new NoUnboundElementsBindHandler(BindHandler.DEFAULT);
        return binder.bind("gradlab.jobs", Bindable.of(JobProperties.class), strict)
                .orElseGet(JobPropertiesTest::defaults);
    }

    @Test
    void everyPropertyHasADefault() {
        JobProperties p = defaults();
        assertThat(p.concurrency()).isEqualTo(1);
        assertThat(p.pollingInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(p.heartbeatInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(p.missedHeartbeatsLimit()).isEqualTo(6);
        assertThat(p.maxWallTime()).isEqualTo(Duration.ofHours(2));
        assertThat(p.maxAttempts()).isEqualTo(5);
        assertThat(p.queueCapacity()).isEqualTo(1000);
        assertThat(p.queueFullRetryAfter()).isEqualTo(Duration.ofSeconds(30));
        assertThat(p.databaseOutageTolerance()).as("a managed fail-over").isEqualTo(Duration.ofSeconds(60));
        assertThat(p.workerId())
                .as("host and process id")
                .endsWith("-" + ProcessHandle.current().pid());
        assertThat(new JobProperties(null, null, "  ", null, null, null, null, null, null, null).workerId())
                .isEqualTo(p.workerId());
        assertThat(new JobProperties(null, null, "node-7", null, null, null, null, null, null, null).workerId())
                .isEqualTo("node-7");
    }

    @Test
    void takeoverDelayIsTheMissedHeartbeatsTwoChecksAndAPoll() {
        // 5 s × 6 missed beats, up to 2 × 5 s until the next dead-execution check, 1 s until a poll picks it
        assertThat(defaults().maxTakeoverDelay()).isEqualTo(Duration.ofSeconds(41));
        JobProperties fast = new JobProperties(
                null, Duration.ofMillis(200), null, Duration.ofSeconds(1), 4, null, null, null, null, null);
        assertThat(fast.maxTakeoverDelay()).isEqualTo(Duration.ofMillis(6200));
    }

    @Test
    void numbersBelowOneAndDurationsThatAreNotPositiveAreRefusedByName() {
        assertThatThrownBy(() -> new JobProperties(0, null, null, null, null, null, null, null, null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("gradlab.jobs.concurrency must be at least 1 (was 0)");
        assertThatThrownBy(() -> new JobProperties(null, null, null, null, null, null, -1, null, null, null))
                .hasMessage("gradlab.jobs.max-attempts must be at least 1 (was -1)");
        assertThatThrownBy(() -> new JobProperties(null, null, null, null, null, null, null, 0, null, null))
                .hasMessageStartingWith("gradlab.jobs.queue-capacity");
        assertThatThrownBy(() -> new JobProperties(null, Duration.ZERO, null, null, null, null, null, null, null, null))
                .hasMessage("gradlab.jobs.polling-interval must be positive (was PT0S)");
        assertThatThrownBy(() ->
                        new JobProperties(null, null, null, null, null, Duration.ofMinutes(-5), null, null, null, null))
                .hasMessageStartingWith("gradlab.jobs.max-wall-time must be positive");
        assertThatThrownBy(() -> new JobProperties(null, null, null, Duration.ZERO, null, null, null, null, null, null))
                .hasMessageStartingWith("gradlab.jobs.heartbeat-interval");
        assertThatThrownBy(() -> new JobProperties(null, null, null, null, null, null, null, null, Duration.ZERO, null))
                .hasMessageStartingWith("gradlab.jobs.queue-full-retry-after");
        assertThatThrownBy(() -> new JobProperties(null, null, null, null, null, null, null, null, null, Duration.ZERO))
                .hasMessageStartingWith("gradlab.jobs.database-outage-tolerance");
    }

    @Test
    void fewerThanFourMissedHeartbeatsAreRefused() {
        assertThatThrownBy(() -> new JobProperties(null, null, null, null, 3, null, null, null, null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("gradlab.jobs.missed-heartbeats-limit must be at least 4 (was 3)");
        assertThat(new JobProperties(null, null, null, null, 4, null, null, null, null, null).missedHeartbeatsLimit())
                .isEqualTo(4);
    }

    @Test
    void applicationPropertiesBindsEveryGradlabJobsKey() throws IOException {
        Properties file = new Properties();
        try (InputStream in = getClass().getResourceAsStream("/application.properties")) {
            file.load(in);
        }
        file.keySet().removeIf(key -> !key.toString().startsWith("gradlab.jobs."));
        assertThat(file).as("the file sets them").isNotEmpty();

        JobProperties p = bind(file); // fails on a key no component takes (a typo would be ignored otherwise)

        assertThat(p.concurrency()).isEqualTo(1);
        assertThat(p.heartbeatInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(p.missedHeartbeatsLimit()).isEqualTo(6);
        assertThat(p.maxWallTime()).isEqualTo(Duration.ofHours(2));
        assertThat(p.queueFullRetryAfter()).isEqualTo(Duration.ofSeconds(30));
        assertThat(p.databaseOutageTolerance()).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void kebabCaseNamesAndUnitsBind() {
        JobProperties p = bind(Map.of(
                "gradlab.jobs.max-wall-time", "90m",
                "gradlab.jobs.polling-interval", "250ms",
                "gradlab.jobs.worker-id", "a",
                "gradlab.jobs.queue-capacity", "7",
                "gradlab.jobs.database-outage-tolerance", "2m"));
        assertThat(p.maxWallTime()).isEqualTo(Duration.ofMinutes(90));
        assertThat(p.pollingInterval()).isEqualTo(Duration.ofMillis(250));
        assertThat(p.workerId()).isEqualTo("a");
        assertThat(p.queueCapacity()).isEqualTo(7);
        assertThat(p.databaseOutageTolerance()).isEqualTo(Duration.ofMinutes(2));
        assertThatThrownBy(() -> bind(Map.of("gradlab.jobs.max-wal-time", "1h")))
                .isInstanceOf(BindException.class);
    }
}
