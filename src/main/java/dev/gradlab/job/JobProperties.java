package dev.gradlab.job;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code gradlab.jobs.*}: how many jobs this instance trains at once, how often it polls the queue, and the name
 * it records on the jobs it runs.
 */
@ConfigurationProperties("gradlab.jobs")
public record JobProperties(Integer concurrency, Duration pollingInterval, String workerId) {

    public JobProperties {
        concurrency = concurrency == null ? 1 : concurrency;
        pollingInterval = pollingInterval == null ? Duration.ofSeconds(1) : pollingInterval;
        if (workerId == null || workerId.isBlank()) {
            workerId = defaultWorkerId();
        }
    }

    private static String defaultWorkerId() {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            host = "localhost";
        }
        return host + "-" + ProcessHandle.current().pid();
    }
}
