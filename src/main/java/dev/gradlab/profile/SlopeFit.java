package dev.gradlab.profile;

/**
 * Ordinary least squares of y on x over the points where y is finite: y ≈ intercept + slope·x. {@code r2} is the
 * share of y's variance the line explains, null with fewer than three points (two points always lie on a line) or
 * when y does not vary.
 */
public record SlopeFit(double slope, double intercept, Double r2, int points) {

    /** @return the fit, or null with fewer than two finite points */
    static SlopeFit of(double[] x, double[] y) {
        int n = 0;
        double sx = 0;
        double sy = 0;
        for (int i = 0; i < x.length; i++) {
            if (Double.isFinite(y[i])) {
                n++;
                sx += x[i];
                sy += y[i];
            }
        }
        if (n < 2) {
            return null;
        }
        double mx = sx / n;
        double my = sy / n;
        double sxx = 0;
        double sxy = 0;
        double syy = 0;
        for (int i = 0; i < x.length; i++) {
            if (Double.isFinite(y[i])) {
                double dx = x[i] - mx;
                double dy = y[i] - my;
                sxx += dx * dx;
                sxy += dx * dy;
                syy += dy * dy;
            }
        }
        if (sxx == 0) {
            return null;
        }
        double slope = sxy / sxx;
        Double r2 = n < 3 || syy == 0 ? null : (sxy * sxy) / (sxx * syy);
        return new SlopeFit(slope, my - slope * mx, r2, n);
    }
}
