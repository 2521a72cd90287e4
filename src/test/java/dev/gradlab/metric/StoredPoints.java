package dev.gradlab.metric;

/** The stored form of points, for tests in other packages that write metric rows directly. */
public final class StoredPoints {

    private StoredPoints() {}

    public static byte[] encode(long[] iterations, double[] values) {
        return PointCodec.encode(iterations, values, iterations.length);
    }

    public static byte[] encodeValues(double[] values) {
        return PointCodec.encodeValues(values);
    }
}
