package dev.gradlab.training;

import dev.gradlab.dataset.Permutations;
import java.util.SplittableRandom;

/**
 * The order in which training visits the training split: a fresh shuffle per epoch, drawn from {@code training.seed}
 * alone. Nothing about the network enters it, so every variant of a study's repeat sees the same minibatches in the
 * same order (the split itself comes from {@code dataset.seed} alone).
 */
public final class MinibatchOrder {

    /** Offsets the shuffling stream from the weight-init seed so the two never share a sequence. */
    private static final long SHUFFLE_SEED_SALT = 0x5DEECE66DL;

    private final SplittableRandom random;
    private final int size;

    public MinibatchOrder(long trainingSeed, int trainSize) {
        this.random = new SplittableRandom(trainingSeed ^ SHUFFLE_SEED_SALT);
        this.size = trainSize;
    }

    /** The next epoch's order of example indices; minibatch k is {@code [k·batch, (k+1)·batch)} of it. */
    public int[] nextEpoch() {
        return Permutations.shuffled(size, random);
    }
}
