package dev.gradlab.dataset;

import java.util.SplittableRandom;

/** Fisher–Yates shuffles driven by a caller's seeded random, so every order is reproducible. */
public final class Permutations {

    private Permutations() {}

    public static int[] shuffled(int n, SplittableRandom random) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int tmp = order[i];
            order[i] = order[j];
            order[j] = tmp;
        }
        return order;
    }
}
