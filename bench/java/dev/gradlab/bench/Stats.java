package dev.gradlab.bench;

import java.util.Arrays;

/** Order statistics of a handful of measurements. */
public final class Stats {

    private Stats() {}

    public static double median(double[] v) {
        double[] s = sorted(v);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    /** Nearest-rank percentile: with 50 samples p99 is the largest, p95 the third largest. */
    public static double percentile(double[] v, double p) {
        double[] s = sorted(v);
        int rank = (int) Math.ceil(p / 100 * s.length);
        return s[Math.max(0, rank - 1)];
    }

    public static double min(double[] v) {
        return Arrays.stream(v).min().orElseThrow();
    }

    public static double max(double[] v) {
        return Arrays.stream(v).max().orElseThrow();
    }

    /** "median 1.23 (min 1.00, max 2.00)" */
    public static String spread(double[] v, String format) {
        return ("median " + format + " (min " + format + ", max " + format + ")").formatted(median(v), min(v), max(v));
    }

    private static double[] sorted(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s;
    }
}
