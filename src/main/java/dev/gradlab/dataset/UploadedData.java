package dev.gradlab.dataset;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * How an uploaded dataset is stored, and its content hash. An upload is a sequence of blocks of consecutive rows;
 * a block holds its rows' features as float32 little-endian, row by row, and their labels as int32 little-endian.
 * A block holds at most {@link #BLOCK_VALUES} features (400 KB), so neither writing nor reading ever copies more
 * than one block beyond the floats themselves; and a block stays under half of G1's smallest region (1 MB), so
 * it is an ordinary object, not a "humongous" one that takes a whole region (800 KB blocks took 1.25 × their size).
 *
 * <p>The content hash is the SHA-256 of the parsed content, not of the CSV's bytes: all features (float32 LE,
 * row-major), then all labels (int32 LE), then the row count and the feature count (int32 LE each). Two CSVs that
 * parse to the same numbers (1 and 1.0, other column names, CRLF or LF, the label in another column) are one
 * dataset; the same CSV with another label column is another.
 */
public final class UploadedData {

    /** Features per stored block at most: 400,000 bytes. */
    public static final int BLOCK_VALUES = 100_000;

    private UploadedData() {}

    /**
     * @param rows     examples
     * @param features feature columns
     * @param classes  largest label + 1
     * @param sha256   the content hash (lower-case hex)
     */
    public record Header(int rows, int features, int classes, String sha256) {}

    /**
     * Consecutive rows: {@code features} holds {@code rows() × featureCount} float32 LE, {@code labels} one int32 LE
     * per row.
     */
    public record Block(int firstRow, byte[] features, byte[] labels) {
        public int rows() {
            return labels.length / Integer.BYTES;
        }
    }

    /** Rows per block for a width: as many as fit {@link #BLOCK_VALUES}, at least one. */
    public static int rowsPerBlock(int features) {
        return Math.max(1, BLOCK_VALUES / features);
    }

    /** Little-endian view of a block's bytes. */
    public static ByteBuffer littleEndian(byte[] bytes) {
        return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** The content hash, fed in the order it is defined: every block's features, then every block's labels. */
    public static final class ContentDigest {
        private final MessageDigest sha = DatasetCache.sha256();
        private boolean labels;

        public void features(byte[] block) {
            if (labels) {
                throw new IllegalStateException("the features come before the labels");
            }
            sha.update(block);
        }

        public void labels(byte[] block) {
            labels = true;
            sha.update(block);
        }

        /** The hash, lower-case hex; the digest is spent. */
        public String finish(int rows, int features) {
            sha.update(littleEndian(new byte[2 * Integer.BYTES])
                    .putInt(rows)
                    .putInt(features)
                    .array());
            return HexFormat.of().formatHex(sha.digest());
        }
    }
}
