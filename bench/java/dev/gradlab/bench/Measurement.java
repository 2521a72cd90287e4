package dev.gradlab.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/** One timed training run: examples trained, wall seconds, and CPU seconds of the measuring thread (NaN if unknown). */
public record Measurement(long samples, double seconds, double cpuSeconds) {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    public double samplesPerSecond() {
        return samples / seconds;
    }

    public static Clock start() {
        return new Clock(System.nanoTime(), THREADS.getCurrentThreadCpuTime());
    }

    public record Clock(long wall, long cpu) {
        public Measurement stop(long samples) {
            return new Measurement(
                    samples, (System.nanoTime() - wall) / 1e9, (THREADS.getCurrentThreadCpuTime() - cpu) / 1e9);
        }
    }
}
