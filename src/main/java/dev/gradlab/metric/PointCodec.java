package dev.gradlab.metric;

import java.nio.ByteBuffer;

/** A chunk's points as one binary block: n iterations (int64) then n values (IEEE float64, NaN and ±Inf kept). */
final class PointCodec {

    private PointCodec() {
    }

    static byte[] encode(long[] iterations, double[] values, int count) {
        ByteBuffer b = ByteBuffer.allocate(count * 16);
        for (int i = 0; i < count; i++) {
            b.putLong(iterations[i]);
        }
        for (int i = 0; i < count; i++) {
            b.putDouble(values[i]);
        }
        return b.array();
    }

    /** Appends the points with from ≤ iteration ≤ to into {@code out}. */
    static void decodeInto(byte[] block, long from, long to, SeriesBuilder out) {
        int count = block.length / 16;
        ByteBuffer b = ByteBuffer.wrap(block);
        int valuesAt = count * 8;
        for (int i = 0; i < count; i++) {
            long iteration = b.getLong(i * 8);
            if (iteration >= from && iteration <= to) {
                out.add(iteration, b.getDouble(valuesAt + i * 8));
            }
        }
    }
}
