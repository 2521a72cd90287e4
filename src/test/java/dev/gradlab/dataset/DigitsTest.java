package dev.gradlab.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gradlab.spec.DatasetName;
import dev.gradlab.spec.DatasetSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class DigitsTest {

    private static DatasetSpec digits(Integer samples, long seed) {
        return DatasetSpec.builder()
                .name(DatasetName.DIGITS)
                .samples(samples)
                .seed(seed)
                .build()
                .withDefaults();
    }

    @Test
    void bundledFileHasEveryExampleScaledToTheUnitInterval() {
        Samples all = Digits.all();
        assertThat(all.size()).isEqualTo(1797);
        assertThat(all.featureCount()).isEqualTo(64);
        assertThat(all.classes()).isEqualTo(10);
        int[] counts = new int[10];
        Arrays.stream(all.labels()).forEach(l -> counts[l]++);
        // The class counts the file's README states (from the file itself, with awk).
        assertThat(counts).containsExactly(178, 182, 177, 183, 181, 182, 181, 179, 174, 180);
        float max = 0;
        for (float v : all.features()) {
            assertThat(v).isBetween(0f, 1f);
            max = Math.max(max, v);
        }
        assertThat(max).isEqualTo(1f); // 16 of 16 set bits occurs
        // First row of the file: 0,0,5,13,9,1,0,0,... label 0.
        assertThat(all.labels()[0]).isZero();
        assertThat(all.feature(0, 2)).isEqualTo(5 / 16f);
        assertThat(all.feature(0, 3)).isEqualTo(13 / 16f);
    }

    @Test
    void checksumInCodeIsTheOneTheReadmeRecords() throws IOException {
        String readme = Files.readString(Path.of("src/main/resources/datasets/README.md"));
        assertThat(readme).contains(Digits.SHA256).contains("python3-sklearn").contains("CC BY 4.0");
        byte[] gz = Files.readAllBytes(Path.of("src/main/resources/datasets/digits.csv.gz"));
        assertThat(java.util.HexFormat.of().formatHex(DatasetCache.sha256().digest(gz)))
                .isEqualTo(Digits.SHA256);
    }

    @Test
    void defaultDrawSplitsAllExamplesBySeed() {
        SplitDataset a = DatasetFactory.generate(digits(null, 3));
        SplitDataset b = DatasetFactory.generate(digits(null, 3));
        SplitDataset c = DatasetFactory.generate(digits(null, 4));
        assertThat(a.test().size()).isEqualTo(359); // round(1797 × 0.2)
        assertThat(a.train().size()).isEqualTo(1438);
        assertThat(a.train().features()).containsExactly(b.train().features());
        assertThat(a.test().labels()).containsExactly(b.test().labels());
        assertThat(Arrays.equals(a.train().features(), c.train().features())).isFalse();
        // Train and test are disjoint and together are the whole file.
        Set<String> train = rows(a.train());
        Set<String> test = rows(a.test());
        assertThat(train).doesNotContainAnyElementsOf(test);
        assertThat(IntStream.rangeClosed(0, 9)
                        .allMatch(k -> Arrays.stream(a.test().labels()).anyMatch(l -> l == k)))
                .isTrue();
    }

    @Test
    void aSmallerDrawIsASubsetOfALargerOne() {
        SplitDataset small = DatasetFactory.generate(digits(300, 9));
        SplitDataset large = DatasetFactory.generate(digits(900, 9));
        assertThat(small.train().size() + small.test().size()).isEqualTo(300);
        Set<String> largeRows = rows(large.train());
        largeRows.addAll(rows(large.test()));
        Set<String> smallRows = rows(small.train());
        smallRows.addAll(rows(small.test()));
        assertThat(largeRows).containsAll(smallRows);
    }

    private static Set<String> rows(Samples s) {
        Set<String> rows = new HashSet<>();
        for (int i = 0; i < s.size(); i++) {
            rows.add(Arrays.toString(Arrays.copyOfRange(s.features(), i * 64, (i + 1) * 64)) + s.labels()[i]);
        }
        return rows;
    }
}
