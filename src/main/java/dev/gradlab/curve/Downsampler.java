package dev.gradlab.curve;

import java.util.ArrayList;
import java.util.List;

/**
 * Min/max decimation: the points are cut into equal buckets and each bucket keeps its minimum and its maximum,
 * so a spike (or a dip) survives at any zoom. The first and last points are always kept. Non-finite values
 * count as the most extreme in their bucket, so a NaN or an infinity is never dropped.
 */
final class Downsampler {

    private Downsampler() {}

    /** Indices into a series of {@code size} points to keep for one series, ascending, at most maxPoints of them. */
    static int[] select(double[] values, int maxPoints) {
        int n = values.length;
        if (n <= maxPoints) {
            return identity(n);
        }
        int buckets = (maxPoints - 2) / 2; // 0 when only the first and last point fit
        List<Integer> keep = new ArrayList<>(maxPoints);
        keep.add(0);
        for (int b = 0; b < buckets; b++) {
            int from = 1 + (int) ((long) b * (n - 2) / buckets);
            int to = 1 + (int) ((long) (b + 1) * (n - 2) / buckets); // exclusive
            int min = -1;
            int max = -1;
            for (int i = from; i < to; i++) {
                if (min < 0 || less(values[i], values[min])) {
                    min = i;
                }
                if (max < 0 || less(values[max], values[i])) {
                    max = i;
                }
            }
            if (min < 0) {
                continue;
            }
            keep.add(Math.min(min, max));
            if (min != max) {
                keep.add(Math.max(min, max));
            }
        }
        keep.add(n - 1);
        return keep.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Orders values with every non-finite one above every finite one (−Inf included: it is an extreme too). */
    private static boolean less(double a, double b) {
        boolean aFinite = Double.isFinite(a);
        boolean bFinite = Double.isFinite(b);
        if (aFinite && bFinite) {
            return a < b;
        }
        return aFinite && !bFinite;
    }

    /**
     * Buckets for several series that share one iteration axis: the interior points 1..n-2 cut into at most
     * (maxPoints − 2) / 2 buckets, each {from, to} (to exclusive). The caller emits the first point, then two
     * positions per bucket (its first and last iteration, where each series reports its own minimum and maximum
     * within the bucket, in the order they occur), then the last point.
     */
    static int[][] buckets(int n, int maxPoints) {
        int interior = n - 2;
        int buckets = Math.min(interior, (maxPoints - 2) / 2);
        if (buckets <= 0) {
            return new int[0][];
        }
        int[][] out = new int[buckets][];
        int used = 0;
        for (int b = 0; b < buckets; b++) {
            int from = 1 + (int) ((long) b * interior / buckets);
            int to = 1 + (int) ((long) (b + 1) * interior / buckets);
            if (to > from) {
                out[used++] = new int[] {from, to};
            }
        }
        return java.util.Arrays.copyOf(out, used);
    }

    /** Within [from, to): the indices of the minimum and maximum, earlier one first. */
    static int[] extremes(double[] values, int from, int to) {
        int min = -1;
        int max = -1;
        for (int i = from; i < to; i++) {
            if (missing(values[i])) {
                continue; // nothing recorded here: never an extreme, or it would hide the bucket's real one
            }
            if (min < 0 || less(values[i], values[min])) {
                min = i;
            }
            if (max < 0 || less(values[max], values[i])) {
                max = i;
            }
        }
        if (min < 0) {
            return new int[] {from, from}; // the layer recorded nothing in this bucket
        }
        return new int[] {Math.min(min, max), Math.max(min, max)};
    }

    /**
     * Marks "no value recorded" inside a double[] of several layers on one axis: a NaN with a payload no arithmetic
     * produces, told apart from a real NaN by its bits.
     */
    static final double MISSING = Double.longBitsToDouble(0x7ff8dead00000000L);

    static boolean missing(double v) {
        return Double.doubleToRawLongBits(v) == Double.doubleToRawLongBits(MISSING);
    }

    private static int[] identity(int n) {
        int[] all = new int[n];
        for (int i = 0; i < n; i++) {
            all[i] = i;
        }
        return all;
    }
}
