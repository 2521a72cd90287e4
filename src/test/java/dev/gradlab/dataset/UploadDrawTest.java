package dev.gradlab.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.gradlab.spec.DatasetName;
import dev.gradlab.spec.DatasetSpec;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** A job's draw from an upload: the digits' way of drawing, the content hash checked, standardisation. */
class UploadDrawTest {

    private static final UUID ID = UUID.fromString("5f2d6c1e-2a8e-4b8c-9d77-0e1c3a2b4f60");

    /** An upload held in memory, in the stored form (blocks of {@code rowsPerBlock} rows). */
    static final class MemoryUploads implements UploadedDatasets {
        final Map<UUID, UploadedData.Header> headers = new java.util.HashMap<>();
        final Map<UUID, List<UploadedData.Block>> blocks = new java.util.HashMap<>();

        void put(UUID id, Samples all, int rowsPerBlock) {
            int width = all.featureCount();
            List<UploadedData.Block> list = new ArrayList<>();
            UploadedData.ContentDigest digest = new UploadedData.ContentDigest();
            for (int first = 0; first < all.size(); first += rowsPerBlock) {
                int rows = Math.min(rowsPerBlock, all.size() - first);
                ByteBuffer f = UploadedData.littleEndian(new byte[rows * width * 4]);
                ByteBuffer l = UploadedData.littleEndian(new byte[rows * 4]);
                for (int i = 0; i < rows; i++) {
                    for (int j = 0; j < width; j++) {
                        f.putFloat(all.feature(first + i, j));
                    }
                    l.putInt(all.labels()[first + i]);
                }
                digest.features(f.array());
                list.add(new UploadedData.Block(first, f.array(), l.array()));
            }
            list.forEach(b -> digest.labels(b.labels()));
            headers.put(
                    id, new UploadedData.Header(all.size(), width, all.classes(), digest.finish(all.size(), width)));
            blocks.put(id, list);
        }

        @Override
        public Optional<UploadedData.Header> header(UUID id) {
            return Optional.ofNullable(headers.get(id));
        }

        @Override
        public void readBlocks(UUID id, Consumer<UploadedData.Block> each) {
            blocks.get(id).forEach(each);
        }
    }

    private static Samples random(int rows, int width, int classes, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] f = new float[rows * width];
        int[] l = new int[rows];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) (r.nextGaussian() * 3 + 5);
        }
        for (int i = 0; i < rows; i++) {
            l[i] = r.nextInt(classes);
        }
        return new Samples(f, l, width, classes);
    }

    private static DatasetSpec spec(int samples, long seed, boolean standardize, int width, int classes) {
        return DatasetSpec.builder()
                .name(DatasetName.UPLOAD)
                .id(ID)
                .samples(samples)
                .features(width)
                .classes(classes)
                .seed(seed)
                .standardize(standardize)
                .build()
                .withDefaults();
    }

    private static DatasetLoader loader(MemoryUploads uploads) {
        return new DatasetLoader(DatasetProperties.defaults(), uploads);
    }

    @Test
    void drawsAsTheBundledDigitsAreDrawnAcrossBlocks() {
        Samples all = random(257, 3, 4, 1);
        MemoryUploads uploads = new MemoryUploads();
        uploads.put(ID, all, 10);
        for (int samples : new int[] {257, 100, 20}) {
            DatasetSpec spec = spec(samples, 7, false, 3, 4);
            SplitDataset drawn = loader(uploads).load(spec);
            SplitDataset expected = DatasetFactory.draw(all, spec);
            assertThat(drawn.train().features()).isEqualTo(expected.train().features());
            assertThat(drawn.train().labels()).isEqualTo(expected.train().labels());
            assertThat(drawn.test().features()).isEqualTo(expected.test().features());
            assertThat(drawn.test().labels()).isEqualTo(expected.test().labels());
            assertThat(drawn.test().size()).isEqualTo(spec.testSamples());
            assertThat(drawn.train().classes()).isEqualTo(4);
        }
        assertThat(loader(uploads).load(spec(100, 8, false, 3, 4)).test().labels())
                .as("another seed, another draw")
                .isNotEqualTo(
                        loader(uploads).load(spec(100, 7, false, 3, 4)).test().labels());
    }

    @Test
    void aStoredValueThatChangedFailsTheContentHash() {
        MemoryUploads uploads = new MemoryUploads();
        uploads.put(ID, random(50, 2, 2, 2), 16);
        uploads.blocks.get(ID).get(2).features()[5] ^= 1;
        assertThatThrownBy(() -> loader(uploads).load(spec(50, 1, false, 2, 2)))
                .isInstanceOf(DatasetUnavailableException.class)
                .hasMessageContaining("is damaged in the database")
                .hasMessageContaining("SHA-256");
    }

    @Test
    void aDeletedUploadOrNoDatabaseIsAReadableFailure() {
        assertThatThrownBy(() -> loader(new MemoryUploads()).load(spec(50, 1, false, 2, 2)))
                .isInstanceOf(DatasetUnavailableException.class)
                .hasMessage("uploaded dataset " + ID + " is not there any more (it was deleted)");
        assertThatThrownBy(() -> DatasetLoader.withDefaults().load(spec(50, 1, false, 2, 2)))
                .isInstanceOf(DatasetUnavailableException.class);
    }

    @Test
    void standardisationUsesTheTrainingSplitsStatisticsForBothSplits() {
        Samples all = random(400, 3, 2, 3);
        float[] f = all.features();
        for (int i = 0; i < all.size(); i++) {
            f[i * 3 + 2] = 4.25f; // a constant feature
        }
        MemoryUploads uploads = new MemoryUploads();
        uploads.put(ID, all, 64);
        SplitDataset raw = loader(uploads).load(spec(400, 5, false, 3, 2));
        SplitDataset z = loader(uploads).load(spec(400, 5, true, 3, 2));
        Samples train = z.train();
        for (int j = 0; j < 3; j++) {
            double sum = 0;
            double squares = 0;
            double rawSum = 0;
            double rawSquares = 0;
            for (int i = 0; i < train.size(); i++) {
                sum += train.feature(i, j);
                squares += train.feature(i, j) * (double) train.feature(i, j);
                rawSum += raw.train().feature(i, j);
                rawSquares += raw.train().feature(i, j) * (double) raw.train().feature(i, j);
            }
            double mean = sum / train.size();
            assertThat(mean).as("feature %d's training mean", j).isCloseTo(0, within(1e-5));
            double rawMean = rawSum / train.size();
            double rawStd = Math.sqrt(rawSquares / train.size() - rawMean * rawMean);
            if (j < 2) {
                assertThat(Math.sqrt(squares / train.size())).isCloseTo(1, within(1e-4));
                // The test split: the training split's mean and deviation, not its own.
                for (int i = 0; i < z.test().size(); i++) {
                    assertThat((double) z.test().feature(i, j))
                            .isCloseTo((raw.test().feature(i, j) - rawMean) / rawStd, within(1e-3));
                }
            } else {
                assertThat(squares)
                        .as("a constant feature is centred, not divided by 0")
                        .isZero();
                assertThat(z.test().feature(0, j)).isZero();
            }
        }
        assertThat(z.train().labels()).isEqualTo(raw.train().labels());
    }
}
