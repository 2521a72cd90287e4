package dev.gradlab.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the IDX reader says about files that are not what their name promises, and the datasets' settings. */
class IdxReaderTest {

    @TempDir
    Path dir;

    private Path write(String name, byte[] raw) throws IOException {
        return Files.write(dir.resolve(name), IdxTestFiles.gzip(raw));
    }

    private static byte[] header(int magic, int... dims) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(magic);
            for (int d : dims) {
                out.writeInt(d);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    @Test
    void readsWhatWasWritten() throws IOException {
        Path labels = write("l.gz", IdxTestFiles.labels(12));
        assertThat(IdxReader.readLabels(labels)).hasSize(12).startsWith(0, 1, 2);
        Path images = write("i.gz", IdxTestFiles.images(3, 2, 2, 0));
        float[] out = new float[3 * 4];
        IdxReader.readImages(images, 3, 4, new int[] {2, -1, 0}, out);
        assertThat(out[8 + 2])
                .as("image 0 went to slot 2, its third pixel 255 → 1")
                .isEqualTo(1f);
        assertThat(Arrays.copyOfRange(out, 4, 8)).as("slot 1 was skipped").containsOnly(0f);
    }

    @Test
    void aNegativeDimensionATruncatedFileAndAWrongShapeAreNamed() throws IOException {
        Path negative = write("neg.gz", header(IdxReader.LABELS_MAGIC, -3));
        assertThatThrownBy(() -> IdxReader.readLabels(negative))
                .isInstanceOf(DatasetUnavailableException.class)
                .hasMessageContaining("negative dimension");
        Path truncated = write("short.gz", header(IdxReader.LABELS_MAGIC, 50));
        assertThatThrownBy(() -> IdxReader.readLabels(truncated))
                .isInstanceOf(UncheckedIOException.class)
                .hasRootCauseMessage(truncated + " ends early: it is truncated");
        Path images = write("img.gz", IdxTestFiles.images(3, 2, 2, 0));
        assertThatThrownBy(() -> IdxReader.readImages(images, 4, 4, new int[4], new float[16]))
                .isInstanceOf(DatasetUnavailableException.class)
                .hasMessageContaining("holds 3 images but its labels file 4 labels");
        assertThatThrownBy(() -> IdxReader.readImages(images, 3, 9, new int[3], new float[27]))
                .isInstanceOf(DatasetUnavailableException.class)
                .hasMessageContaining("holds 2 × 2 images; expected 9 pixels each");
        Path huge = write("huge.gz", header(IdxReader.LABELS_MAGIC, Integer.MAX_VALUE));
        assertThatThrownBy(() -> IdxReader.readLabels(huge))
                .isInstanceOf(DatasetUnavailableException.class)
                .hasMessageContaining("claims " + Integer.MAX_VALUE + " labels");
    }

    @Test
    void settingsAreCheckedWhenTheServiceStarts() {
        assertThatThrownBy(() -> new DatasetProperties(null, null, null, Duration.ZERO))
                .hasMessageContaining("fetch-timeout must be positive");
        assertThatThrownBy(() -> new DatasetProperties(null, "ftp://mirror/mnist", null, null))
                .hasMessageContaining("must be an http or https URL, or empty");
        assertThatThrownBy(() -> new DatasetProperties(null, "http://bad host/", null, null))
                .hasMessageContaining("is not a URL");
        assertThat(DatasetProperties.folderUrl("mnist-url", "http://mirror/mnist")
                        .toString())
                .isEqualTo("http://mirror/mnist/");
        assertThat(DatasetProperties.folderUrl("mnist-url", ""))
                .as("empty: fetching off")
                .isNull();
    }
}
