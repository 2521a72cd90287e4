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
    @EnumSource(value = DatasetName.class, names = {"SPIRALS", "CIRCLES", "XOR", "GAUSSIANS"})
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

    private static SplitDataset sequences(DatasetName name, long seed, int steps) {
        return DatasetFactory.generate(new DatasetSpec(name, 300, null, null, seed, null, steps).withDefaults(
                dev.gradlab.spec.ModelType.RNN));
    }

    @ParameterizedTest
    @EnumSource(value = DatasetName.class, names = {"ADDING", "TEMPORAL_ORDER", "REMEMBER_FIRST"})
    void sequenceTasksAreAFunctionOfTheirSeed(DatasetName name) {
        SplitDataset a = sequences(name, 4, 30);
        assertThat(a.train().features()).containsExactly(sequences(name, 4, 30).train().features());
        assertThat(Arrays.equals(a.train().features(), sequences(name, 5, 30).train().features())).isFalse();
        assertThat(a.train().size()).isEqualTo(240);
        assertThat(a.train().timeSteps()).isEqualTo(30);
    }

    @org.junit.jupiter.api.Test
    void addingTargetIsTheSumOfTheTwoMarkedValues() {
        Samples s = sequences(DatasetName.ADDING, 2, 100).train();
        assertThat(s.regression()).isTrue();
        for (int i = 0; i < s.size(); i++) {
            int example = i;
            int[] marked = java.util.stream.IntStream.range(0, 100).filter(t -> s.feature(example, 100 + t) == 1f)
                    .toArray();
            assertThat(marked).hasSize(2);
            assertThat(marked[0]).isLessThan(10);   // first tenth
            assertThat(marked[1]).isLessThan(50);   // first half
            assertThat(s.targets()[i]).isEqualTo(s.feature(i, marked[0]) + s.feature(i, marked[1]));
        }
    }

    @org.junit.jupiter.api.Test
    void temporalOrderLabelIsTheOrderOfXAndY() {
        Samples s = sequences(DatasetName.TEMPORAL_ORDER, 3, 60).train();
        assertThat(s.classes()).isEqualTo(4);
        for (int i = 0; i < s.size(); i++) {
            StringBuilder relevant = new StringBuilder();
            for (int t = 0; t < 60; t++) {
                int hot = 0;
                for (int symbol = 0; symbol < SequenceTasks.SYMBOLS; symbol++) {
                    if (s.feature(i, symbol * 60 + t) == 1f) {
                        hot++;
                        if (symbol == SequenceTasks.X) {
                            relevant.append('X');
                        } else if (symbol == SequenceTasks.Y) {
                            relevant.append('Y');
                        }
                    }
                }
                assertThat(hot).as("one symbol per step").isEqualTo(1);
            }
            assertThat(relevant).hasSize(2);
            int expected = (relevant.charAt(0) == 'Y' ? 2 : 0) + (relevant.charAt(1) == 'Y' ? 1 : 0);
            assertThat(s.labels()[i]).isEqualTo(expected);
        }
    }

    @org.junit.jupiter.api.Test
    void rememberFirstLabelIsTheSignOfTheFirstInput() {
        Samples s = sequences(DatasetName.REMEMBER_FIRST, 6, 20).train();
        for (int i = 0; i < s.size(); i++) {
            assertThat(s.labels()[i]).isEqualTo(s.feature(i, 0) > 0 ? 1 : 0);
        }
    }
}
