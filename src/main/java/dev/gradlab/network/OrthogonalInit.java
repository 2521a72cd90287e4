package dev.gradlab.network;

import java.util.SplittableRandom;

/**
 * Random orthogonal matrices, scaled: every singular value of s·Q is exactly s, which makes s the one knob between
 * vanishing (s·γ < 1) and possibly exploding gradients through time (Pascanu et al. 2013).
 */
final class OrthogonalInit {

    private OrthogonalInit() {}

    /** An n×n matrix s·Q, Q orthogonal, from modified Gram–Schmidt on a Gaussian matrix; [row][column]. */
    static double[][] scaledOrthogonal(int n, double scale, SplittableRandom random) {
        double[][] columns = new double[n][n];
        for (int c = 0; c < n; c++) {
            for (int r = 0; r < n; r++) {
                columns[c][r] = gaussian(random);
            }
        }
        for (int c = 0; c < n; c++) {
            for (int prev = 0; prev < c; prev++) {
                double dot = 0;
                for (int r = 0; r < n; r++) {
                    dot += columns[c][r] * columns[prev][r];
                }
                for (int r = 0; r < n; r++) {
                    columns[c][r] -= dot * columns[prev][r];
                }
            }
            double norm = 0;
            for (int r = 0; r < n; r++) {
                norm += columns[c][r] * columns[c][r];
            }
            norm = Math.sqrt(norm);
            for (int r = 0; r < n; r++) {
                columns[c][r] /= norm;
            }
        }
        double[][] m = new double[n][n];
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < n; c++) {
                m[r][c] = scale * columns[c][r];
            }
        }
        return m;
    }

    private static double gaussian(SplittableRandom random) {
        double u1 = 1.0 - random.nextDouble();
        double u2 = random.nextDouble();
        return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }
}
