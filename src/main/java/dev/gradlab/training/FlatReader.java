package dev.gradlab.training;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Reads an ND4J array's elements straight from its native buffer into a double[]. One bulk copy replaces dozens
 * of small ND4J reductions per iteration (each a native call), which keeps the statistics cheap; and every norm
 * is then summed in double, whatever the network's precision.
 */
final class FlatReader {

    private FlatReader() {}

    /** @return the elements in c order, in {@code reuse} when it has the right length */
    static double[] read(INDArray array, double[] reuse) {
        INDArray a = array;
        if (a.dataType() != DataType.FLOAT && a.dataType() != DataType.DOUBLE) {
            a = a.castTo(DataType.DOUBLE);
        }
        if (a.ordering() != 'c' || a.elementWiseStride() != 1) {
            a = a.dup('c');
        }
        int n = Math.toIntExact(a.length());
        double[] out = reuse != null && reuse.length == n ? reuse : new double[n];
        if (a.dataType() == DataType.DOUBLE) {
            DoubleBuffer buffer = a.data().asNioDouble();
            buffer.position(Math.toIntExact(a.offset()));
            buffer.get(out, 0, n);
        } else {
            // One bulk copy, then a tight widening loop: far cheaper than n bounds-checked NIO reads.
            float[] floats = readFloats(a, FLOAT_SCRATCH.get());
            FLOAT_SCRATCH.set(floats);
            for (int i = 0; i < n; i++) {
                out[i] = floats[i];
            }
        }
        return out;
    }

    /**
     * The elements of a float32 array in c order, in {@code reuse} when it is long enough (only the first
     * {@code length()} elements are meaningful then). Half the memory traffic of {@link #read}: the statistics of a
     * 2-million-parameter net read three such vectors every iteration.
     * @throws IllegalArgumentException for another data type (GradLab trains every network in float32)
     */
    static float[] readFloats(INDArray array, float[] reuse) {
        if (array.dataType() != DataType.FLOAT) {
            throw new IllegalArgumentException("expected a float32 array, got " + array.dataType());
        }
        INDArray a = array.ordering() == 'c' && array.elementWiseStride() == 1 ? array : array.dup('c');
        int n = Math.toIntExact(a.length());
        float[] out = reuse != null && reuse.length >= n ? reuse : new float[n];
        FloatBuffer buffer = a.data().asNioFloat();
        buffer.position(Math.toIntExact(a.offset()));
        buffer.get(out, 0, n);
        return out;
    }

    /** Per training thread, grown to the largest array read. */
    private static final ThreadLocal<float[]> FLOAT_SCRATCH = ThreadLocal.withInitial(() -> new float[0]);
}
