package dev.gradlab.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gradlab.spec.DatasetName;
import dev.gradlab.spec.DatasetSpec;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class DatasetFactoryTest {

    private static DatasetSpec spec(DatasetName name, long seed, int classes) {
        return new DatasetSpec(name, 500, 0.05, classes, seed, 0.2);
    }

    @ParameterizedTest
    @EnumSource(DatasetName.class)
    void sameSeedSamePointsOtherSeedOtherPoints(DatasetName name) {
        SplitDataset a = DatasetFactory.generate(spec(name, 7, 2));
        SplitDataset b = DatasetFactory.generate(spec(name, 7, 2));
        SplitDataset c = DatasetFactory.generate(spec(name, 8, 2));
        assertThat(a.train().features()).containsExactly(b.train().features());
        assertThat(a.test().labels()).containsExactly(b.test().labels());
        assertThat(Arrays.equals(a.train().features(), c.train().features())).isFalse();
    }

    @ParameterizedTest
    @EnumSource(value = DatasetName.class, names = {"SPIRALS", "CIRCLES", "GAUSSIANS"})
    void splitHoldsOutTheTestFractionAndEveryClassAppearsInBoth(DatasetName name) {
        SplitDataset d = DatasetFactory.generate(spec(name, 3, 4));
        assertThat(d.train().size()).isEqualTo(400);
        assertThat(d.test().size()).isEqualTo(100);
        assertThat(Arrays.stream(d.train().labels()).distinct().sorted().toArray()).containsExactly(0, 1, 2, 3);
        assertThat(Arrays.stream(d.test().labels()).distinct().sorted().toArray()).containsExactly(0, 1, 2, 3);
        for (float v : d.train().features()) {
            assertThat(Math.abs(v)).isLessThan(1.5f);
        }
    }

    @org.junit.jupiter.api.Test
    void xorLabelsFollowTheQuadrantsWithoutNoise() {
        SplitDataset d = DatasetFactory.generate(new DatasetSpec(DatasetName.XOR, 200, 0.0, 2, 5L, 0.2));
        Samples s = d.train();
        for (int i = 0; i < s.size(); i++) {
            boolean differentSigns = (s.feature(i, 0) > 0) != (s.feature(i, 1) > 0);
            assertThat(s.labels()[i]).isEqualTo(differentSigns ? 1 : 0);
        }
    }
}
