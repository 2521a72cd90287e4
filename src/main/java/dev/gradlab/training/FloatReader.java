package dev.gradlab.training;

import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Reads a float ND4J array's elements straight from its native buffer. One bulk copy replaces dozens of small
 * ND4J reductions per iteration (each a native call), which is what keeps the statistics cheap.
 */
final class FloatReader {

    private FloatReader() {
    }

    /** @return the elements in c order, in {@code reuse} when it has the right length */
    static float[] read(INDArray array, float[] reuse) {
        INDArray a = array;
        if (a.dataType() != DataType.FLOAT) {
            a = a.castTo(DataType.FLOAT);
        }
        if (a.ordering() != 'c' || a.elementWiseStride() != 1) {
            a = a.dup('c');
        }
        int n = Math.toIntExact(a.length());
        float[] out = reuse != null && reuse.length == n ? reuse : new float[n];
        FloatBuffer buffer = a.data().asNioFloat();
        buffer.position(Math.toIntExact(a.offset()));
        buffer.get(out, 0, n);
        return out;
    }
}
