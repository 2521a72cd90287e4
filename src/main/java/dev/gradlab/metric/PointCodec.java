package dev.gradlab.metric;

import java.nio.ByteBuffer;

/**
 * The stored form of a chunk, shared by the write path (here) and the read path ({@code curve}): n iterations
 * (int64) then n values (IEEE float64, NaN and ±Inf kept).
 */
public final class PointCodec {

    /** Stored bytes per point: its iteration and its value. */
    static final int BYTES_PER_POINT = Long.BYTES + Double.BYTES;

    private PointCodec() {}

    static byte[] encode(long[] iterations, double[] values, int count) {
        ByteBuffer b = ByteBuffer.allocate(count * BYTES_PER_POINT);
        for (int i = 0; i < count; i++) {
            b.putLong(iterations[i]);
        }
        for (int i = 0; i < count; i++) {
            b.putDouble(values[i]);
        }
        return b.array();
    }

    /** A plain vector of float64 values (NaN and ±Inf kept). */
    static byte[] encodeValues(double[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 8);
        for (double v : values) {
            b.putDouble(v);
        }
        return b.array();
    }

    public static double[] decodeValues(byte[] block) {
        ByteBuffer b = ByteBuffer.wrap(block);
        double[] out = new double[block.length / 8];
        for (int i = 0; i < out.length; i++) {
            out[i] = b.getDouble();
        }
        return out;
    }

    /** Receives decoded points in stored (ascending iteration) order. */
    @FunctionalInterface
    public interface PointSink {
        void accept(long iteration, double value);
    }

    /** Hands the points with from ≤ iteration ≤ to to {@code out}. */
    public static void decode(byte[] block, long from, long to, PointSink out) {
        int count = block.length / 16;
        ByteBuffer b = ByteBuffer.wrap(block);
        int valuesAt = count * 8;
        for (int i = 0; i < count; i++) {
            long iteration = b.getLong(i * 8);
            if (iteration >= from && iteration <= to) {
                out.accept(iteration, b.getDouble(valuesAt + i * 8));
            }
        }
    }
}
