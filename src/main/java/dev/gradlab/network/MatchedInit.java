package dev.gradlab.network;

import dev.gradlab.spec.ModelSpec;
import dev.gradlab.spec.RnnCell;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Draws each weight matrix from its own random stream, seeded by {@code training.seed}, the layer's role, its
 * position among the layers of that role and its shape, so that two networks built from the same seed start with
 * the same W wherever a layer's role, position and shape agree: dense layer l of a plain, a batch-norm and a
 * residual net, the first five dense layers of a 5- and a 10-layer net, their output layers. A difference between
 * such runs is then caused by the architecture, not by initialisation noise (matched ablations, studies).
 *
 * <p>DL4J seeds the whole net once and draws layer after layer from one stream, so an extra layer in front shifts
 * every draw behind it (a 10-layer net's output W differs from a 5-layer net's), and the result depends on DL4J's
 * order of initialisation. The distributions are DL4J's own for the spec's {@code weightInit} (xavier
 * N(0, 2/(fanIn+fanOut)), he N(0, 2/fanIn), normal N(0, initScale²), uniform U(±1/√fanIn) or U(±initScale)), with
 * fanIn × fanOut the matrix's shape; every Gaussian init scales the same standard normal draws, so xavier and he
 * variants of a layer are also scaled copies of each other. Biases stay DL4J's zeros, batch norm's γ = 1, β = 0.
 *
 * <p>Covered: dense and output W, and a simple RNN's input W. Not covered: an LSTM's W (DL4J's fan convention for
 * its four gate blocks differs) and W_rec, which {@link NetworkFactory} draws from a stream of the seed alone.
 */
final class MatchedInit {

    enum Role {
        DENSE,
        RECURRENT_INPUT,
        OUTPUT
    }

    private MatchedInit() {}

    /** Overwrites the W of every covered layer; call after the network's own init. */
    static void apply(BuiltNetwork net, ModelSpec model, long seed) {
        int dense = 0;
        int recurrent = 0;
        for (LayerDescriptor layer : net.layers()) {
            switch (layer.kind()) {
                case DENSE -> initialise(net, layer, model, seed, Role.DENSE, ++dense);
                case RECURRENT -> {
                    recurrent++;
                    if (model.cell() != RnnCell.LSTM) {
                        initialise(net, layer, model, seed, Role.RECURRENT_INPUT, recurrent);
                    }
                }
                case OUTPUT -> initialise(net, layer, model, seed, Role.OUTPUT, 1);
                case BATCH_NORM -> {}
            }
        }
    }

    private static void initialise(
            BuiltNetwork net, LayerDescriptor layer, ModelSpec model, long seed, Role role, int position) {
        INDArray w = net.layer(layer.name()).getParam("W");
        long fanIn = w.size(0);
        long fanOut = w.size(1);
        float[] values = draw(model, seed, role, position, fanIn, fanOut);
        w.assign(Nd4j.create(values, new long[] {fanIn, fanOut}, 'c').castTo(w.dataType()));
    }

    /** The matrix, row-major [fanIn][fanOut], as float32 (the nets train in float32). */
    static float[] draw(ModelSpec model, long seed, Role role, int position, long fanIn, long fanOut) {
        SplittableRandom random = new SplittableRandom(streamSeed(seed, role, position, fanIn, fanOut));
        int n = Math.toIntExact(fanIn * fanOut);
        float[] out = new float[n];
        switch (model.weightInit()) {
            case XAVIER -> gaussian(out, Math.sqrt(2.0 / (fanIn + fanOut)), random);
            case HE -> gaussian(out, Math.sqrt(2.0 / fanIn), random);
            case NORMAL -> gaussian(out, model.initScale(), random);
            case UNIFORM -> {
                double a = model.initScale() == null ? 1.0 / Math.sqrt(fanIn) : model.initScale();
                for (int i = 0; i < n; i++) {
                    out[i] = (float) ((2 * random.nextDouble() - 1) * a);
                }
            }
        }
        return out;
    }

    /** SplitMix64's finaliser over the fields in turn: every field changes every bit of the stream's seed. */
    static long streamSeed(long seed, Role role, int position, long fanIn, long fanOut) {
        long h = mix(seed ^ 0x6A09E667F3BCC909L);
        h = mix(h ^ role.ordinal());
        h = mix(h ^ position);
        h = mix(h ^ fanIn);
        return mix(h ^ fanOut);
    }

    private static long mix(long z) {
        z += 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static void gaussian(float[] out, double std, SplittableRandom random) {
        for (int i = 0; i < out.length; i++) {
            double u1 = 1.0 - random.nextDouble();
            double u2 = random.nextDouble();
            out[i] = (float) (std * Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2 * Math.PI * u2));
        }
    }
}
