package dev.gradlab.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class SlopeFitTest {

    @Test
    void aStraightLineIsFittedExactly() {
        SlopeFit f = SlopeFit.of(new double[] {0, 1, 2, 3}, new double[] {1, 0.4, -0.2, -0.8});
        assertThat(f.slope()).isCloseTo(-0.6, within(1e-12));
        assertThat(f.intercept()).isCloseTo(1, within(1e-12));
        assertThat(f.r2()).isCloseTo(1, within(1e-12));
        assertThat(f.points()).isEqualTo(4);
    }

    /** y = 0, 2, 1 on x = 0, 1, 2: slope 0.5, ŷ = 0.5, 1, 1.5, residuals 0.25·3·… → r² = 0.25. */
    @Test
    void rSquaredIsTheShareOfVarianceExplained() {
        SlopeFit f = SlopeFit.of(new double[] {0, 1, 2}, new double[] {0, 2, 1});
        assertThat(f.slope()).isCloseTo(0.5, within(1e-12));
        assertThat(f.intercept()).isCloseTo(0.5, within(1e-12));
        assertThat(f.r2()).isCloseTo(0.25, within(1e-12));
    }

    @Test
    void nonFinitePointsAreLeftOut() {
        SlopeFit f = SlopeFit.of(
                new double[] {0, 1, 2, 3, 4}, new double[] {0, Double.NEGATIVE_INFINITY, -2, Double.NaN, -4});
        assertThat(f.slope()).isCloseTo(-1, within(1e-12));
        assertThat(f.points()).isEqualTo(3);
    }

    @Test
    void twoPointsHaveASlopeButNoRSquaredAndOneHasNothing() {
        SlopeFit two = SlopeFit.of(new double[] {0, 1}, new double[] {3, 1});
        assertThat(two.slope()).isEqualTo(-2);
        assertThat(two.r2()).isNull();
        assertThat(SlopeFit.of(new double[] {0, 1}, new double[] {3, Double.NaN}))
                .isNull();
        assertThat(SlopeFit.of(new double[] {0, 1, 2}, new double[] {5, 5, 5}).r2())
                .as("a flat profile: nothing to explain")
                .isNull();
    }
}
