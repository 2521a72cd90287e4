package dev.gradlab.metric;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The stored form of a chunk: every double comes back bit for bit, and a range keeps its two ends. */
class PointCodecTest {

    private record Point(long iteration, double value) {}

    private static List<Point> decode(byte[] block, long from, long to) {
        List<Point> out = new ArrayList<>();
        PointCodec.decode(block, from, to, (iteration, value) -> out.add(new Point(iteration, value)));
        return out;
    }

    private static final long[] ITERATIONS = {1, 2, 3, 10, 11, 1L << 40};
    private static final double[] VALUES = {
        0.5, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0, Double.MIN_VALUE
    };

    @Test
    void pointsRoundTripBitForBitNonFiniteIncluded() {
        List<Point> points = decode(PointCodec.encode(ITERATIONS, VALUES, ITERATIONS.length), 0, Long.MAX_VALUE);

        assertThat(points).extracting(Point::iteration).containsExactly(1L, 2L, 3L, 10L, 11L, 1L << 40);
        for (int i = 0; i < VALUES.length; i++) {
            assertThat(Double.doubleToRawLongBits(points.get(i).value()))
                    .as("value %d", i)
                    .isEqualTo(Double.doubleToRawLongBits(VALUES[i]));
        }
    }

    @Test
    void onlyTheFirstCountPointsAreEncoded() {
        // a chunk's arrays are 512 long and partly filled
        byte[] block = PointCodec.encode(ITERATIONS, VALUES, 3);
        assertThat(block).hasSize(3 * 16);
        assertThat(decode(block, 0, Long.MAX_VALUE))
                .extracting(Point::iteration)
                .containsExactly(1L, 2L, 3L);
        assertThat(PointCodec.encode(ITERATIONS, VALUES, 0)).isEmpty();
    }

    @Test
    void aRangeKeepsBothEndsAndNothingOutside() {
        byte[] block = PointCodec.encode(ITERATIONS, VALUES, ITERATIONS.length);
        assertThat(decode(block, 3, 10)).extracting(Point::iteration).containsExactly(3L, 10L);
        assertThat(decode(block, 4, 9)).isEmpty();
        assertThat(decode(block, 11, 11)).containsExactly(new Point(11, -0.0));
        assertThat(decode(block, 2, 2))
                .singleElement()
                .satisfies(p -> assertThat(p.value()).isNaN());
        assertThat(decode(block, 12, 1L << 40)).containsExactly(new Point(1L << 40, Double.MIN_VALUE));
    }

    @Test
    void valueVectorsRoundTrip() {
        double[] norms = {1e-31, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 7};
        double[] back = PointCodec.decodeValues(PointCodec.encodeValues(norms));
        assertThat(back).hasSize(norms.length);
        for (int i = 0; i < norms.length; i++) {
            assertThat(Double.doubleToRawLongBits(back[i])).isEqualTo(Double.doubleToRawLongBits(norms[i]));
        }
        assertThat(PointCodec.decodeValues(PointCodec.encodeValues(new double[0])))
                .isEmpty();
    }
}
