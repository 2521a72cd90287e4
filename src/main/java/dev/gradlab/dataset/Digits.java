package dev.gradlab.dataset;

import dev.gradlab.spec.DatasetName;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.zip.GZIPInputStream;

/**
 * The bundled UCI handwritten digits (Alpaydin & Kaynak 1998, CC BY 4.0; scikit-learn's {@code digits.csv.gz},
 * see {@code datasets/README.md} beside it): 1,797 rows of 64 pixel counts 0..16 and a label. Read once per JVM,
 * after its SHA-256 is checked, and scaled to [0, 1].
 */
final class Digits {

    static final String RESOURCE = "/datasets/digits.csv.gz";
    static final String SHA256 = "46abec6b12486ad9e51943373abcf22bbea1b5a51a1619b361570d8893f1464a";
    static final int FEATURES = DatasetName.DIGITS.fixedInputs().getAsInt();
    static final int CLASSES = DatasetName.DIGITS.fixedOutputs().getAsInt();
    static final int EXAMPLES = DatasetName.DIGITS.availableExamples().getAsInt();
    /** A pixel counts the set bits of a 4 × 4 block. */
    static final float MAX_PIXEL = 16f;

    private Digits() {}

    /** All 1,797 examples in file order. Shared: callers copy what they take ({@link Samples#select}). */
    static Samples all() {
        return Holder.ALL;
    }

    private static final class Holder {
        static final Samples ALL = read();
    }

    private static Samples read() {
        byte[] gz;
        try (InputStream in = Digits.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the application");
            }
            gz = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
        String sha = HexFormat.of().formatHex(DatasetCache.sha256().digest(gz));
        if (!SHA256.equals(sha)) {
            throw new IllegalStateException(
                    RESOURCE + " has SHA-256 " + sha + ", not " + SHA256 + ": the application's copy is damaged");
        }
        return parse(gz);
    }

    static Samples parse(byte[] gz) {
        float[] features = new float[EXAMPLES * FEATURES];
        int[] labels = new int[EXAMPLES];
        int row = 0;
        try (BufferedReader lines = new BufferedReader(
                new InputStreamReader(new GZIPInputStream(new ByteArrayInputStream(gz)), StandardCharsets.US_ASCII))) {
            for (String line; (line = lines.readLine()) != null; ) {
                if (line.isBlank()) {
                    continue;
                }
                String[] cells = line.split(",", -1);
                if (row >= EXAMPLES || cells.length != FEATURES + 1) {
                    throw new IllegalStateException(RESOURCE + " line " + (row + 1) + " is not 64 pixels and a label");
                }
                for (int j = 0; j < FEATURES; j++) {
                    features[row * FEATURES + j] = Integer.parseInt(cells[j].strip()) / MAX_PIXEL;
                }
                labels[row] = Integer.parseInt(cells[FEATURES].strip());
                row++;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
        if (row != EXAMPLES) {
            throw new IllegalStateException(RESOURCE + " has " + row + " examples, not " + EXAMPLES);
        }
        return new Samples(features, labels, FEATURES, CLASSES);
    }
}
