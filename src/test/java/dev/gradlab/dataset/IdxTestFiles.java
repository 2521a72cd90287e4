package dev.gradlab.dataset;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * Small MNIST-format datasets written by tests: gzipped IDX files whose every image says which it is — pixel 0
 * holds its index mod 256, pixel 1 its index / 256, pixel 2 is 255 — and whose label is its index mod 10, so a
 * test can tell which examples were drawn and check the scaling.
 */
final class IdxTestFiles {

    final Map<String, byte[]> files = new LinkedHashMap<>();
    final ImageFiles catalogue;

    IdxTestFiles(int train, int test) {
        files.put("train-images-idx3-ubyte.gz", gzip(images(train, 28, 28, 0)));
        files.put("train-labels-idx1-ubyte.gz", gzip(labels(train)));
        files.put("t10k-images-idx3-ubyte.gz", gzip(images(test, 28, 28, 0)));
        files.put("t10k-labels-idx1-ubyte.gz", gzip(labels(test)));
        catalogue = catalogue(files);
    }

    static ImageFiles catalogue(Map<String, byte[]> files) {
        return new ImageFiles(
                "mnist",
                "gradlab.datasets.mnist-url",
                entry(files, "train-images-idx3-ubyte.gz"),
                entry(files, "train-labels-idx1-ubyte.gz"),
                entry(files, "t10k-images-idx3-ubyte.gz"),
                entry(files, "t10k-labels-idx1-ubyte.gz"));
    }

    private static IdxFile entry(Map<String, byte[]> files, String name) {
        return new IdxFile(name, sha256(files.get(name)));
    }

    static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(DatasetCache.sha256().digest(bytes));
    }

    /** Writes every file into {@code folder}. */
    void writeTo(Path folder) throws IOException {
        Files.createDirectories(folder);
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            Files.write(folder.resolve(f.getKey()), f.getValue());
        }
    }

    /** The index an image encodes. */
    static int index(Samples s, int example) {
        return Math.round(s.feature(example, 0) * 255) + 256 * Math.round(s.feature(example, 1) * 255);
    }

    static byte[] images(int count, int rows, int cols, int extraPixels) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(IdxReader.IMAGES_MAGIC);
            out.writeInt(count);
            out.writeInt(rows);
            out.writeInt(cols);
            for (int i = 0; i < count; i++) {
                byte[] image = new byte[rows * cols];
                image[0] = (byte) (i % 256);
                image[1] = (byte) (i / 256);
                image[2] = (byte) 255;
                out.write(image);
            }
            out.write(new byte[extraPixels]);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static byte[] labels(int count) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(IdxReader.LABELS_MAGIC);
            out.writeInt(count);
            for (int i = 0; i < count; i++) {
                out.writeByte(i % 10);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static byte[] gzip(byte[] raw) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(raw);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
