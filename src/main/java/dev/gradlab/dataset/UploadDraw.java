package dev.gradlab.dataset;

import dev.gradlab.spec.DatasetSpec;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A job's examples from a user's upload, drawn as the bundled digits are ({@link DatasetFactory#draw}): one shuffle
 * of all rows from {@code dataset.seed}, its first {@code testSamples} rows the test split, the next ones the
 * training split (a smaller draw with the same seed is a subset of a larger one). The stored blocks stream through
 * once, each chosen row copied straight into its slot, so a draw holds its own examples and one block, not the
 * whole upload; the content hash is checked on the way.
 */
final class UploadDraw {

    private UploadDraw() {}

    static SplitDataset draw(UploadedDatasets uploads, DatasetSpec spec) {
        UploadedData.Header header = uploads.header(spec.id())
                .orElseThrow(() -> new DatasetUnavailableException(
                        "uploaded dataset " + spec.id() + " is not there any more (it was deleted)"));
        int rows = header.rows();
        int width = header.features();
        int total = spec.samples();
        int testSize = spec.testSamples();
        if (total > rows || width != spec.inputFeatures() || header.classes() != spec.outputs()) {
            throw new DatasetUnavailableException("uploaded dataset " + spec.id() + " has " + rows + " rows, " + width
                    + " features and " + header.classes() + " classes; the job asks for " + total + " rows, "
                    + spec.inputFeatures() + " features and " + spec.outputs() + " classes");
        }
        int[] order = Permutations.shuffled(rows, new SplittableRandom(spec.seed()));
        int[] slotOf = new int[rows];
        Arrays.fill(slotOf, -1);
        for (int k = 0; k < total; k++) {
            slotOf[order[k]] = k;
        }
        float[] testFeatures = new float[Math.multiplyExact(testSize, width)];
        float[] trainFeatures = new float[Math.multiplyExact(total - testSize, width)];
        int[] testLabels = new int[testSize];
        int[] trainLabels = new int[total - testSize];
        UploadedData.ContentDigest digest = new UploadedData.ContentDigest();
        List<byte[]> labelBlocks = new ArrayList<>();
        int[] next = {0};
        uploads.readBlocks(spec.id(), block -> {
            if (block.firstRow() != next[0] || block.features().length != block.rows() * width * Float.BYTES) {
                throw damaged(spec, "block at row " + block.firstRow() + " does not follow row " + next[0]);
            }
            digest.features(block.features());
            labelBlocks.add(block.labels());
            FloatBuffer values = UploadedData.littleEndian(block.features()).asFloatBuffer();
            ByteBuffer labels = UploadedData.littleEndian(block.labels());
            for (int i = 0; i < block.rows(); i++) {
                int slot = slotOf[block.firstRow() + i];
                if (slot < 0) {
                    continue;
                }
                values.position(i * width);
                int label = labels.getInt(i * Integer.BYTES);
                if (slot < testSize) {
                    values.get(testFeatures, slot * width, width);
                    testLabels[slot] = label;
                } else {
                    values.get(trainFeatures, (slot - testSize) * width, width);
                    trainLabels[slot - testSize] = label;
                }
            }
            next[0] += block.rows();
        });
        if (next[0] != rows) {
            throw damaged(spec, "it has " + next[0] + " stored rows, not " + rows);
        }
        labelBlocks.forEach(digest::labels);
        String sha = digest.finish(rows, width);
        if (!sha.equals(header.sha256())) {
            throw damaged(spec, "its content hashes to SHA-256 " + sha + ", not " + header.sha256());
        }
        int classes = header.classes();
        return new SplitDataset(
                new Samples(trainFeatures, trainLabels, width, classes),
                new Samples(testFeatures, testLabels, width, classes));
    }

    private static DatasetUnavailableException damaged(DatasetSpec spec, String what) {
        return new DatasetUnavailableException(
                "uploaded dataset " + spec.id() + " is damaged in the database: " + what + "; upload it again");
    }
}
