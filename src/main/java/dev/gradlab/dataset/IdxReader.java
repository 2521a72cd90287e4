package dev.gradlab.dataset;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Reads gzipped IDX files (LeCun's format of MNIST): a big-endian header — two zero bytes, the element type (0x08,
 * unsigned byte), the number of dimensions — then each dimension's size as a 32-bit integer, then the bytes.
 * Labels are 1-D ({@code idx1}), images 3-D ({@code idx3}: count × rows × columns). Images are streamed one
 * block at a time straight into the chosen examples' slots, so a draw of a few thousand out of 60,000 never holds
 * the 47 MB of decompressed pixels at once.
 */
final class IdxReader {

    static final int LABELS_MAGIC = 0x00000801;
    static final int IMAGES_MAGIC = 0x00000803;
    /** Images decoded per read: large enough that the inflater works in big steps (about 100 KB at 28 × 28). */
    private static final int BLOCK = 128;
    /** More examples than any published IDX dataset has: a header claiming more is damaged. */
    static final int MAX_EXAMPLES = 10_000_000;

    /** pixel / 255, so a pixel maps to [0, 1] by one table lookup. */
    private static final float[] SCALED = new float[256];

    static {
        for (int v = 0; v < 256; v++) {
            SCALED[v] = v / 255f;
        }
    }

    private IdxReader() {}

    /** Every label of a gzipped {@code idx1-ubyte} file. */
    static byte[] readLabels(Path file) {
        try (InputStream in = open(file)) {
            int[] dims = header(in, file, LABELS_MAGIC, 1);
            if (dims[0] > MAX_EXAMPLES) {
                throw new DatasetUnavailableException(
                        file + " claims " + dims[0] + " labels; at most " + MAX_EXAMPLES + " are read");
            }
            byte[] labels = new byte[dims[0]];
            readFully(in, labels, labels.length, file);
            return labels;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /**
     * Decodes the images of a gzipped {@code idx3-ubyte} file whose slot is not negative, each into
     * {@code out[slot × pixels …]}, scaled from 0..255 to [0, 1].
     *
     * @param count  the images the file must hold (its labels file's count)
     * @param pixels rows × columns the file must have
     * @param slotOf for each image in file order, where it goes, or -1 to skip it
     */
    static void readImages(Path file, int count, int pixels, int[] slotOf, float[] out) {
        try (InputStream in = open(file)) {
            int[] dims = header(in, file, IMAGES_MAGIC, 3);
            if (dims[0] != count) {
                throw new DatasetUnavailableException(
                        file + " holds " + dims[0] + " images but its labels file " + count + " labels");
            }
            if ((long) dims[1] * dims[2] != pixels) {
                throw new DatasetUnavailableException(
                        file + " holds " + dims[1] + " × " + dims[2] + " images; expected " + pixels + " pixels each");
            }
            byte[] block = new byte[BLOCK * pixels];
            for (int first = 0; first < count; first += BLOCK) {
                int images = Math.min(BLOCK, count - first);
                readFully(in, block, images * pixels, file);
                for (int k = 0; k < images; k++) {
                    int slot = slotOf[first + k];
                    if (slot < 0) {
                        continue;
                    }
                    int src = k * pixels;
                    int dst = slot * pixels;
                    for (int p = 0; p < pixels; p++) {
                        out[dst + p] = SCALED[block[src + p] & 0xFF];
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static InputStream open(Path file) throws IOException {
        return new BufferedInputStream(new GZIPInputStream(Files.newInputStream(file), 1 << 16), 1 << 16);
    }

    /** Checks the magic number and returns the dimensions. */
    private static int[] header(InputStream in, Path file, int magic, int dimensions) throws IOException {
        byte[] head = new byte[4 + 4 * dimensions];
        readFully(in, head, head.length, file);
        ByteBuffer buffer = ByteBuffer.wrap(head); // big-endian, as IDX is
        int found = buffer.getInt();
        if (found != magic) {
            throw new DatasetUnavailableException(String.format(
                    "%s is not an IDX file of unsigned bytes in %d dimension%s (magic number 0x%08x, expected 0x%08x)",
                    file, dimensions, dimensions == 1 ? "" : "s", found, magic));
        }
        int[] dims = new int[dimensions];
        for (int d = 0; d < dimensions; d++) {
            dims[d] = buffer.getInt();
            if (dims[d] < 0) {
                throw new DatasetUnavailableException(file + " has a negative dimension in its header");
            }
        }
        return dims;
    }

    private static void readFully(InputStream in, byte[] into, int length, Path file) throws IOException {
        if (in.readNBytes(into, 0, length) < length) {
            throw new EOFException(file + " ends early: it is truncated");
        }
    }
}
