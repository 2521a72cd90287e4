package dev.gradlab.curve;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Min/max decimation: at most maxPoints indices, ascending, first and last kept, and no spike and no non-finite
 * value lost (the web layer refuses maxPoints below 2, so 2 is the smallest asked for).
 */
class DownsamplerTest {

    private static double[] flat(int n, double value) {
        double[] v = new double[n];
        Arrays.fill(v, value);
        return v;
    }

    private static double[] pick(double[] values, int[] indices) {
        return Arrays.stream(indices).mapToDouble(i -> values[i]).toArray();
    }

    @Test
    void seriesThatFitAreReturnedWhole() {
        assertThat(Downsampler.select(new double[0], 2)).isEmpty();
        assertThat(Downsampler.select(new double[] {7}, 2)).containsExactly(0);
        assertThat(Downsampler.select(new double[] {3, 1, 2}, 3)).containsExactly(0, 1, 2);
        assertThat(Downsampler.select(flat(1000, 1), 1000))
                .containsExactly(IntStream.range(0, 1000).toArray());
    }

    @Test
    void twoOrThreePointsKeepOnlyTheFirstAndTheLast() {
        double[] v = {5, 1, 9, Double.NaN, 2, 8};
        assertThat(Downsampler.select(v, 2)).containsExactly(0, 5);
        assertThat(Downsampler.select(v, 3)).containsExactly(0, 5);
    }

    @Test
    void aSpikeOrADipInTheMiddleSurvivesEveryMaxPointsThatHasABucket() {
        int n = 301;
        double[] spike = flat(n, 1);
        spike[137] = 1e6;
        double[] dip = flat(n, 1);
        dip[211] = -1e6;
        for (int maxPoints = 4; maxPoints <= n; maxPoints++) {
            assertThat(Downsampler.select(spike, maxPoints))
                    .as("maxPoints %d", maxPoints)
                    .contains(137);
            assertThat(Downsampler.select(dip, maxPoints))
                    .as("maxPoints %d", maxPoints)
                    .contains(211);
        }
    }

    @Test
    void nonFiniteValuesAreNeverDroppedAndRankAsExtremes() {
        int n = 400;
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = Math.sin(i / 7.0) * 100; // finite values wider than the spike a NaN might lose to
        }
        v[50] = Double.NaN;
        v[170] = Double.POSITIVE_INFINITY;
        v[333] = Double.NEGATIVE_INFINITY; // an extreme too, though "less" than everything numerically
        // from 3 buckets (maxPoints 8) on, each of them has a bucket of its own
        for (int maxPoints = 8; maxPoints <= n; maxPoints++) {
            assertThat(Downsampler.select(v, maxPoints))
                    .as("maxPoints %d", maxPoints)
                    .contains(50, 170, 333);
        }
        // sharing one bucket, they are equally extreme: one of them stands for all
        for (int maxPoints = 4; maxPoints < 8; maxPoints++) {
            assertThat(Downsampler.select(v, maxPoints))
                    .as("maxPoints %d", maxPoints)
                    .containsAnyOf(50, 170, 333);
        }
    }

    @Test
    void aBucketOfNonFiniteValuesKeepsAtLeastOneOfThem() {
        // A diverged run: NaN from iteration 200 on. Every bucket past that point must still show the NaN.
        double[] v = new double[1000];
        for (int i = 0; i < v.length; i++) {
            v[i] = i < 200 ? 1.0 / (i + 1) : Double.NaN;
        }
        int[] keep = Downsampler.select(v, 20);
        long nanKept = Arrays.stream(keep).filter(i -> Double.isNaN(v[i])).count();
        // 9 buckets of about 111 interior points: the 8 from index 111 on hold a NaN, and so does the last point
        assertThat(nanKept).isEqualTo(9);
        assertThat(keep[keep.length - 1]).isEqualTo(999);
    }

    @Test
    void equalValuesKeepOneIndexPerBucketAndNoDuplicates() {
        int[] keep = Downsampler.select(flat(100, 0.25), 10); // 4 buckets
        assertThat(keep).hasSize(2 + 4).doesNotHaveDuplicates().startsWith(0).endsWith(99);
        assertThat(pick(flat(100, 0.25), keep)).containsOnly(0.25);
    }

    @Test
    void minimumAndMaximumOfEachBucketAreKeptInOrder() {
        //                   0  1  2  3  4  5  6  7  8  9
        double[] v = {0, 9, 1, 5, 3, 2, 8, 4, 0, 6};
        // interior 1..8 in 2 buckets (maxPoints 6): [1,5) has max 9 at 1, min 1 at 2; [5,9) max 8 at 6, min 0 at 8
        assertThat(Downsampler.select(v, 6)).containsExactly(0, 1, 2, 6, 8, 9);
    }

    @Test
    void outputIsStrictlyAscendingAndWithinMaxPointsForAnySeries() {
        SplittableRandom random = new SplittableRandom(42);
        double[] specials = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0, -0.0};
        for (int trial = 0; trial < 300; trial++) {
            int n = random.nextInt(0, 2000);
            double[] v = new double[n];
            for (int i = 0; i < n; i++) {
                v[i] = random.nextInt(20) == 0 ? specials[random.nextInt(specials.length)] : random.nextGaussian();
            }
            int maxPoints = random.nextInt(2, 300);
            int[] keep = Downsampler.select(v, maxPoints);
            String what = "n " + n + ", maxPoints " + maxPoints;
            assertThat(keep.length).as(what).isLessThanOrEqualTo(maxPoints);
            for (int i = 1; i < keep.length; i++) {
                assertThat(keep[i]).as(what).isGreaterThan(keep[i - 1]);
            }
            if (n > 0) {
                assertThat(keep[0]).as(what).isZero();
                assertThat(keep[keep.length - 1]).as(what).isEqualTo(n - 1);
            }
        }
    }

    @Test
    void sharedAxisBucketsCoverTheInteriorOnceAndFitMaxPoints() {
        for (int n = 3; n < 200; n += 7) {
            for (int maxPoints = 2; maxPoints < n; maxPoints += 3) {
                int[][] buckets = Downsampler.buckets(n, maxPoints);
                String what = "n " + n + ", maxPoints " + maxPoints;
                // the caller emits first + two positions per bucket + last
                assertThat(2 + 2 * buckets.length).as(what).isLessThanOrEqualTo(maxPoints);
                if (maxPoints >= 4) {
                    assertThat(buckets).as(what).isNotEmpty();
                    int next = 1;
                    for (int[] b : buckets) {
                        assertThat(b[0]).as(what).isEqualTo(next);
                        assertThat(b[1]).as(what).isGreaterThan(b[0]);
                        next = b[1];
                    }
                    assertThat(next)
                            .as(what + ": the interior ends before the last point")
                            .isEqualTo(n - 1);
                }
            }
        }
    }

    @Test
    void extremesAreTheMinimumAndMaximumEarlierFirstWithNonFiniteOnTop() {
        double[] v = {4, 7, 1, 3};
        assertThat(Downsampler.extremes(v, 0, 4)).containsExactly(1, 2);
        assertThat(Downsampler.extremes(new double[] {4, 1, Double.NaN, 3}, 0, 4))
                .containsExactly(1, 2);
        assertThat(Downsampler.extremes(new double[] {Double.NEGATIVE_INFINITY, 1, 2}, 0, 3))
                .containsExactly(0, 1);
        assertThat(Downsampler.extremes(new double[] {5, 5, 5}, 0, 3)).containsExactly(0, 0);
        assertThat(Downsampler.extremes(v, 2, 3)).containsExactly(2, 2);
    }
}
