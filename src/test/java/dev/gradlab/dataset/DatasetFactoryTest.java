package dev.gradlab.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gradlab.spec.DatasetName;
import dev.gradlab.spec.DatasetSpec;
import dev.gradlab.spec.ModelType;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class DatasetFactoryTest {

    private static DatasetSpec spec(DatasetName name, long seed, int classes) {
        return DatasetSpec.builder()
                .name(name)
                .samples(500)
                .noise(0.05)
                .classes(classes)
                .seed(seed)
                .testFraction(0.2)
                .build();
    }

    private static DatasetSpec random(int samples, int features, int classes, long seed) {
        return DatasetSpec.builder()
                .name(DatasetName.RANDOM)
                .samples(samples)
                .features(features)
                .classes(classes)
                .seed(seed)
                .build()
                .withDefaults();
    }

    @ParameterizedTest
    @EnumSource(
            value = DatasetName.class,
            names = {"SPIRALS", "CIRCLES", "XOR", "GAUSSIANS"})
    void sameSeedSamePointsOtherSeedOtherPoints(DatasetName name) {
        SplitDataset a = DatasetFactory.generate(spec(name, 7, 2));
        SplitDataset b = DatasetFactory.generate(spec(name, 7, 2));
        SplitDataset c = DatasetFactory.generate(spec(name, 8, 2));
        assertThat(a.train().features()).containsExactly(b.train().features());
        assertThat(a.test().labels()).containsExactly(b.test().labels());
        assertThat(Arrays.equals(a.train().features(), c.train().features())).isFalse();
    }

    @ParameterizedTest
    @EnumSource(
            value = DatasetName.class,
            names = {"SPIRALS", "CIRCLES", "GAUSSIANS"})
    void splitHoldsOutTheTestFractionAndEveryClassAppearsInBoth(DatasetName name) {
        SplitDataset d = DatasetFactory.generate(spec(name, 3, 4));
        assertThat(d.train().size()).isEqualTo(400);
        assertThat(d.test().size()).isEqualTo(100);
        assertThat(Arrays.stream(d.train().labels()).distinct().sorted().toArray())
                .containsExactly(0, 1, 2, 3);
        assertThat(Arrays.stream(d.test().labels()).distinct().sorted().toArray())
                .containsExactly(0, 1, 2, 3);
        for (float v : d.train().features()) {
            assertThat(Math.abs(v)).isLessThan(1.5f);
        }
    }

    @org.junit.jupiter.api.Test
    void xorLabelsFollowTheQuadrantsWithoutNoise() {
        SplitDataset d = DatasetFactory.generate(DatasetSpec.builder()
                .name(DatasetName.XOR)
                .samples(200)
                .noise(0.0)
                .classes(2)
                .seed(5L)
                .testFraction(0.2)
                .build());
        Samples s = d.train();
        for (int i = 0; i < s.size(); i++) {
            boolean differentSigns = (s.feature(i, 0) > 0) != (s.feature(i, 1) > 0);
            assertThat(s.labels()[i]).isEqualTo(differentSigns ? 1 : 0);
        }
    }

    private static SplitDataset sequences(DatasetName name, long seed, int steps) {
        return DatasetFactory.generate(DatasetSpec.builder()
                .name(name)
                .samples(300)
                .seed(seed)
                .sequenceLength(steps)
                .build()
                .withDefaults(ModelType.RNN));
    }

    @ParameterizedTest
    @EnumSource(
            value = DatasetName.class,
            names = {"ADDING", "TEMPORAL_ORDER", "REMEMBER_FIRST"})
    void sequenceTasksAreAFunctionOfTheirSeed(DatasetName name) {
        SplitDataset a = sequences(name, 4, 30);
        assertThat(a.train().features())
                .containsExactly(sequences(name, 4, 30).train().features());
        assertThat(Arrays.equals(
                        a.train().features(), sequences(name, 5, 30).train().features()))
                .isFalse();
        assertThat(a.train().size()).isEqualTo(240);
        assertThat(a.train().timeSteps()).isEqualTo(30);
    }

    @org.junit.jupiter.api.Test
    void addingTargetIsTheSumOfTheTwoMarkedValues() {
        Samples s = sequences(DatasetName.ADDING, 2, 100).train();
        assertThat(s.regression()).isTrue();
        for (int i = 0; i < s.size(); i++) {
            int example = i;
            int[] marked = java.util.stream.IntStream.range(0, 100)
                    .filter(t -> s.feature(example, 100 + t) == 1f)
                    .toArray();
            assertThat(marked).hasSize(2);
            assertThat(marked[0]).isLessThan(10); // first tenth
            assertThat(marked[1]).isLessThan(50); // first half
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

    @org.junit.jupiter.api.Test
    void randomIsAFunctionOfItsSeed() {
        SplitDataset a = DatasetFactory.generate(random(400, 30, 10, 7L));
        SplitDataset b = DatasetFactory.generate(random(400, 30, 10, 7L));
        SplitDataset c = DatasetFactory.generate(random(400, 30, 10, 8L));
        assertThat(a.train().features()).containsExactly(b.train().features());
        assertThat(a.test().features()).containsExactly(b.test().features());
        assertThat(a.train().labels()).containsExactly(b.train().labels());
        assertThat(Arrays.equals(a.train().features(), c.train().features())).isFalse();
        assertThat(Arrays.equals(a.train().labels(), c.train().labels())).isFalse();
    }

    @org.junit.jupiter.api.Test
    void randomHasStandardNormalInputsOfTheChosenWidthAndUniformLabels() {
        SplitDataset d = DatasetFactory.generate(random(5000, 50, 10, 3L));
        assertThat(d.train().size()).isEqualTo(4000);
        assertThat(d.test().size()).isEqualTo(1000);
        for (Samples s : List.of(d.train(), d.test())) {
            assertThat(s.featureCount()).isEqualTo(50);
            assertThat(s.exampleSize()).isEqualTo(50);
            assertThat(s.sequence()).isFalse();
            assertThat(s.regression()).isFalse();
            assertThat(s.classes()).isEqualTo(10);
            assertThat(s.features()).hasSize(s.size() * 50);
        }
        // 250,000 N(0, 1) draws: the mean's standard error is 0.002, the variance's about 0.003.
        double sum = 0;
        double squares = 0;
        for (Samples s : List.of(d.train(), d.test())) {
            for (float v : s.features()) {
                sum += v;
                squares += (double) v * v;
            }
        }
        double mean = sum / 250_000;
        assertThat(mean).isBetween(-0.01, 0.01);
        assertThat(squares / 250_000 - mean * mean).isBetween(0.98, 1.02);
        // 5000 labels over 10 classes: 500 each, binomial std ≈ 21; allow 5 std.
        int[] counts = new int[10];
        for (Samples s : List.of(d.train(), d.test())) {
            for (int label : s.labels()) {
                assertThat(label).isBetween(0, 9);
                counts[label]++;
            }
        }
        for (int count : counts) {
            assertThat(count).isBetween(395, 605);
        }
    }

    @org.junit.jupiter.api.Test
    void randomDefaultsToMnistsWidth() {
        DatasetSpec spec = DatasetSpec.builder()
                .name(DatasetName.RANDOM)
                .samples(100)
                .build()
                .withDefaults();
        assertThat(spec.features()).isEqualTo(784);
        assertThat(spec.inputFeatures()).isEqualTo(784);
        Samples train = DatasetFactory.generate(spec).train();
        assertThat(train.featureCount()).isEqualTo(784);
        assertThat(train.features()).hasSize(80 * 784);
    }

    /**
     * DatasetName owns each dataset's input width and output count; the generators must produce exactly that
     * shape, with every input channel in use (a channel the generator never writes would mean the name's width
     * is not the generator's) and every output reached.
     */
    @ParameterizedTest
    @EnumSource(
            value = DatasetName.class,
            mode = EnumSource.Mode.EXCLUDE,
            names = {"DIGITS", "MNIST", "FASHION_MNIST", "UPLOAD"
            }) // recorded: DigitsTest, DatasetLoaderTest; UploadDrawTest
    void generatedShapeIsTheOneDatasetNameStates(DatasetName name) {
        DatasetSpec spec = DatasetSpec.builder()
                .name(name)
                .samples(400)
                .features(name == DatasetName.RANDOM ? 5 : null)
                .classes(name.fixedOutputs().isPresent() ? null : 3)
                .sequenceLength(name.sequence() ? 30 : null)
                .build()
                .withDefaults(name.sequence() ? ModelType.RNN : ModelType.MLP);
        if (name == DatasetName.XOR) {
            spec = spec.toBuilder().classes(2).build();
        }
        int width = name.fixedInputs().orElse(5);
        assertThat(spec.inputFeatures()).isEqualTo(width);
        SplitDataset d = DatasetFactory.generate(spec);
        for (Samples s : List.of(d.train(), d.test())) {
            assertThat(s.featureCount()).as("width").isEqualTo(width);
            assertThat(s.timeSteps()).isEqualTo(name.sequence() ? 30 : 1);
            assertThat(s.features()).hasSize(s.size() * width * s.timeSteps());
            assertThat(s.outputs()).as("outputs").isEqualTo(spec.outputs());
            assertThat(s.regression()).isEqualTo(name.regression());
        }
        Samples train = d.train();
        for (int channel = 0; channel < width; channel++) {
            boolean used = false;
            for (int i = 0; i < train.size() && !used; i++) {
                for (int t = 0; t < train.timeSteps() && !used; t++) {
                    used = train.feature(i, channel * train.timeSteps() + t) != 0f;
                }
            }
            assertThat(used)
                    .as("input channel %d of %d carries data", channel, width)
                    .isTrue();
        }
        if (name.regression()) {
            assertThat(spec.outputs()).isEqualTo(1);
        } else {
            assertThat(Arrays.stream(train.labels()).distinct().sorted().toArray())
                    .as("every class occurs")
                    .isEqualTo(
                            java.util.stream.IntStream.range(0, spec.outputs()).toArray());
        }
    }

    @org.junit.jupiter.api.Test
    void anUploadIsNotGenerated() {
        DatasetSpec spec = DatasetSpec.builder()
                .name(DatasetName.UPLOAD)
                .id(java.util.UUID.randomUUID())
                .samples(100)
                .features(3)
                .classes(2)
                .build()
                .withDefaults();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> DatasetFactory.generate(spec))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("DatasetLoader");
    }
}
