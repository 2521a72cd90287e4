package dev.gradlab.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gradlab.dataset.UploadedData;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

/** The CSV parser on good files and on each kind of bad one: every refusal names its line and column. */
class CsvDatasetParserTest {

    private static final UploadProperties DEFAULTS = UploadProperties.defaults();

    static ParsedUpload parse(String csv) throws IOException {
        return parse(csv, null, DEFAULTS);
    }

    static ParsedUpload parse(String csv, String label, UploadProperties limits) throws IOException {
        return CsvDatasetParser.parse(new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)), label, limits);
    }

    /** The parsed features, row by row. */
    static float[] features(ParsedUpload p) {
        float[] out = new float[p.rows() * p.features()];
        int at = 0;
        for (UploadedData.Block b : p.blocks()) {
            FloatBuffer f = UploadedData.littleEndian(b.features()).asFloatBuffer();
            f.get(out, at, f.remaining());
            at += b.rows() * p.features();
        }
        assertThat(at).isEqualTo(out.length);
        return out;
    }

    static int[] labels(ParsedUpload p) {
        int[] out = new int[p.rows()];
        for (UploadedData.Block b : p.blocks()) {
            ByteBuffer l = UploadedData.littleEndian(b.labels());
            for (int i = 0; i < b.rows(); i++) {
                out[b.firstRow() + i] = l.getInt(i * Integer.BYTES);
            }
        }
        return out;
    }

    private static AbstractThrowableAssert<?, ? extends Throwable> refused(String csv) {
        return refused(csv, null, DEFAULTS);
    }

    private static AbstractThrowableAssert<?, ? extends Throwable> refused(
            String csv, String label, UploadProperties limits) {
        return assertThatThrownBy(() -> parse(csv, label, limits)).isInstanceOf(InvalidCsvException.class);
    }

    private static InvalidCsvException refusal(String csv) {
        try {
            parse(csv);
        } catch (InvalidCsvException e) {
            return e;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("accepted: " + csv);
    }

    @Test
    void parsesFeaturesAndTheLastColumnAsLabel() throws IOException {
        ParsedUpload p = parse("a,b,label\n1,2.5,0\n-3,4e-1,1\n0.125,  7 ,2\n");
        assertThat(p.rows()).isEqualTo(3);
        assertThat(p.features()).isEqualTo(2);
        assertThat(p.classes()).isEqualTo(3);
        assertThat(p.classRows()).containsExactly(1, 1, 1);
        assertThat(p.labelColumn()).isEqualTo("label");
        assertThat(features(p)).containsExactly(1f, 2.5f, -3f, 0.4f, 0.125f, 7f);
        assertThat(labels(p)).containsExactly(0, 1, 2);
        assertThat(p.csvBytes()).isEqualTo(41);
        assertThat(p.storedBytes()).isEqualTo(3 * 2 * 4 + 3 * 4);
        assertThat(p.sha256()).matches("[0-9a-f]{64}");
    }

    @Test
    void theLabelParameterChoosesTheColumnAndTheOthersAreFeaturesInOrder() throws IOException {
        ParsedUpload p = parse("y,a,b\n1,10,20\n0,30,40\n", "y", DEFAULTS);
        assertThat(p.labelColumn()).isEqualTo("y");
        assertThat(features(p)).containsExactly(10f, 20f, 30f, 40f);
        assertThat(labels(p)).containsExactly(1, 0);
        // The same numbers with the label last are the same content, so the same hash.
        assertThat(parse("a,b,y\n10,20,1\n30,40,0\n").sha256()).isEqualTo(p.sha256());
    }

    @Test
    void quotedCellsCrlfBlankLinesAndAByteOrderMarkAreAccepted() throws IOException {
        ParsedUpload p = parse("\uFEFF\"first, name\",\"say \"\"b\"\"\",class\r\n\"1.5\",2,\"1\"\r\n\r\n3,4,0\r\n\n");
        assertThat(p.rows()).isEqualTo(2);
        assertThat(features(p)).containsExactly(1.5f, 2f, 3f, 4f);
        assertThat(labels(p)).containsExactly(1, 0);
        assertThat(parse("a,b,c\n1.5,2,1\n3,4,0").sha256())
                .as("no final newline, LF, no quotes: the same parsed content")
                .isEqualTo(p.sha256());
    }

    @Test
    void equalNumbersWrittenDifferentlyHashAlikeAndOtherNumbersDoNot() throws IOException {
        String a = parse("x,y\n1,0\n-0,1\n2.50,1\n").sha256();
        assertThat(parse("u,v\n1.0,0\n0,1.0\n25e-1,+1\n").sha256()).isEqualTo(a);
        assertThat(parse("x,y\n1,0\n0,1\n2.51,1\n").sha256()).isNotEqualTo(a);
        assertThat(parse("x,y\n1,0\n0,1\n2.5,0\n").sha256()).isNotEqualTo(a);
        // Features then labels of 2 rows × 3 features, and of 4 rows × 1 feature, can be the very same bytes (the
        // float 1.4e-45 has the bits of the int 1): the row and feature counts at the end tell them apart.
        assertThat(parse("a,b,c,y\n1,2,3,1\n4,1.4E-45,0,0\n").sha256())
                .isNotEqualTo(parse("a,y\n1,1\n2,0\n3,1\n4,0\n").sha256());
    }

    @Test
    void everyNumberIsReadAsFloatParseFloatReadsIt() throws IOException {
        SplittableRandom random = new SplittableRandom(5);
        List<String> cells = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            String cell = switch (i % 5) {
                case 0 -> Double.toString(random.nextGaussian() * Math.pow(10, random.nextInt(-30, 30)));
                case 1 -> Float.toString((float) random.nextGaussian());
                case 2 -> String.format(Locale.ROOT, "%.6f", random.nextDouble(-1000, 1000));
                case 3 -> String.format(Locale.ROOT, "%.17e", random.nextGaussian());
                default ->
                    Long.toString(random.nextLong(-(1L << 40), 1L << 40)) + "."
                            + Integer.toString(random.nextInt(0, 1_000_000));
            };
            cells.add(cell);
        }
        // Float midpoints: 1 + 2^-24 is exactly halfway between 1 and the float after it (rounds to even, 1).
        cells.add("1.000000059604644775390625");
        cells.add("16777217");
        cells.add("3.4028234e38");
        cells.add("1e-50");
        StringBuilder csv = new StringBuilder("x,label\n");
        for (int i = 0; i < cells.size(); i++) {
            csv.append(cells.get(i)).append(',').append(i % 2).append('\n');
        }
        float[] parsed = features(parse(csv.toString()));
        for (int i = 0; i < cells.size(); i++) {
            float expected = Float.parseFloat(cells.get(i)) + 0f;
            assertThat(Float.floatToIntBits(parsed[i])).as(cells.get(i)).isEqualTo(Float.floatToIntBits(expected));
        }
    }

    @Test
    void blocksSplitTheRowsAndEachIsCompleteAndInOrder() throws IOException {
        int width = 3000; // 33 rows per block
        int rows = 150;
        StringBuilder csv = new StringBuilder();
        for (int j = 0; j < width; j++) {
            csv.append('f').append(j).append(',');
        }
        csv.append("y\n");
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < width; j++) {
                csv.append(i == j ? "1" : "0").append(',');
            }
            csv.append(i % 3).append('\n');
        }
        ParsedUpload p = parse(csv.toString());
        assertThat(UploadedData.rowsPerBlock(width)).isEqualTo(33);
        assertThat(p.blocks()).extracting(UploadedData.Block::firstRow).containsExactly(0, 33, 66, 99, 132);
        assertThat(p.blocks()).extracting(UploadedData.Block::rows).containsExactly(33, 33, 33, 33, 18);
        float[] f = features(p);
        assertThat(f[149 * width + 149]).isEqualTo(1f);
        assertThat(f[149 * width + 148]).isEqualTo(0f);
        assertThat(labels(p)[149]).isEqualTo(2);
        assertThat(p.classRows()).containsExactly(50, 50, 50);
    }

    // ---- refusals, each naming where ----------------------------------------------------------------------------

    @Test
    void anEmptyFileOrAHeaderAloneIsRefused() {
        assertThat(refusal("").getMessage()).startsWith("line 1: the CSV is empty");
        assertThat(refusal("   \n1,0\n").getMessage()).startsWith("line 1: the header row is empty");
        InvalidCsvException headerOnly = refusal("a,b,label\n");
        assertThat(headerOnly.getMessage())
                .isEqualTo("line 2: no data rows: the CSV has a header and nothing under it");
        assertThat(headerOnly.line()).isEqualTo(2);
        assertThat(refusal("a,b,label").line()).isEqualTo(2);
        assertThat(refusal("a,b,label\n\n\n").getMessage()).contains("no data rows");
        assertThat(refusal("label\n1\n0\n").getMessage())
                .isEqualTo("line 1: the header has 1 column; a dataset needs at least one feature column and the label "
                        + "column, separated by commas");
    }

    @Test
    void raggedRowsNameTheLineAndTheMissingOrExtraColumn() {
        InvalidCsvException shortRow = refusal("a,b,label\n1,2,0\n3,4,1\n5,1\n");
        assertThat(shortRow.getMessage())
                .isEqualTo("line 4, column 3: this row has 2 cells; the header has 3 columns ('label' is missing)");
        assertThat(shortRow.line()).isEqualTo(4);
        assertThat(shortRow.column()).isEqualTo(3);
        InvalidCsvException longRow = refusal("a,b,label\n1,2,0\n3,4,1,9\n");
        assertThat(longRow.getMessage())
                .isEqualTo("line 3, column 4: this row has more than 3 cells; the header has 3 columns");
        assertThat(longRow.column()).isEqualTo(4);
        assertThat(refusal("a,b,label\n1,2,0,\n").column())
                .as("a trailing comma is one more cell")
                .isEqualTo(4);
        assertThat(refusal("a,b,label\r\n1,2,0\r\n\r\n7\r\n").getMessage())
                .as("blank lines count as lines")
                .startsWith("line 4, column 2: this row has 1 cell;");
    }

    @Test
    void aFeatureThatIsNotANumberOrNotFiniteNamesItsCell() {
        InvalidCsvException text = refusal("a,b,label\n1,2,0\n1,abc,1\n");
        assertThat(text.getMessage()).isEqualTo("line 3, column 2 ('b'): 'abc' is not a number");
        assertThat(text.line()).isEqualTo(3);
        assertThat(text.column()).isEqualTo(2);
        assertThat(refusal("a,b,label\n1,,0\n").getMessage())
                .isEqualTo("line 2, column 2 ('b'): an empty cell; a number is needed");
        assertThat(refusal("a,b,label\nNaN,1,0\n").getMessage())
                .isEqualTo("line 2, column 1 ('a'): 'NaN' is not a finite number; every feature must be one");
        assertThat(refusal("a,b,label\n1,-Infinity,0\n").getMessage())
                .isEqualTo("line 2, column 2 ('b'): '-Infinity' is not a finite number; every feature must be one");
        assertThat(refusal("a,b,label\n1,inf,0\n").getMessage()).contains("not a finite number");
        assertThat(refusal("a,b,label\n1,1e39,0\n").getMessage())
                .isEqualTo("line 2, column 2 ('b'): '1e39' is outside float32's range (about ±3.4 × 10³⁸)");
        assertThat(refusal("a,b,label\n1,1,0\n2,3.5.1,1\n").getMessage())
                .isEqualTo("line 3, column 2 ('b'): '3.5.1' is not a number");
        assertThat(refusal("a,b,label\n1,1,0\n2,1e,1\n").getMessage()).contains("'1e' is not a number");
        assertThat(refusal("a,b,label\n1,0x10,0\n").getMessage()).contains("'0x10' is not a number");
        assertThat(refusal("a,b,label\n1,\"2,5\",0\n").getMessage())
                .as("a quoted comma stays in its cell")
                .isEqualTo("line 2, column 2 ('b'): '2,5' is not a number");
        assertThat(refusal("a,b,label\n1,\"2\n,0\n").getMessage())
                .startsWith("line 2, column 2 ('b'): a quoted cell does not end on its line");
        assertThat(refusal("a,b,label\n1,\"2\"x,0\n").getMessage())
                .startsWith("line 2, column 2 ('b'): text after the closing quote");
        assertThat(refusal("a,b,label\n1," + "9".repeat(300) + ",0\n").getMessage())
                .startsWith("line 2, column 2 ('b'): a cell of more than 256 characters");
    }

    @Test
    void aLabelThatIsNotAClassNumberNamesItsCell() {
        assertThat(refusal("a,b,label\n1,2,0\n1,2,1.5\n").getMessage())
                .isEqualTo("line 3, column 3 ('label'): label '1.5' is not an integer: labels are class numbers 0, 1, "
                        + "2, …");
        assertThat(refusal("a,b,label\n1,2,cat\n").getMessage()).contains("label 'cat' is not an integer");
        assertThat(refusal("a,b,label\n1,2,\n").getMessage())
                .isEqualTo("line 2, column 3 ('label'): an empty label; a class number 0, 1, 2, … is needed");
        InvalidCsvException negative = refusal("a,b,label\n1,2,0\n1,2,-1\n");
        assertThat(negative.getMessage())
                .isEqualTo("line 3, column 3 ('label'): label -1 is negative: labels are class numbers 0, 1, 2, …");
        assertThat(negative.column()).isEqualTo(3);
    }

    @Test
    void labelsWrittenAsWholeDecimalsAreClassNumbers() throws IOException {
        assertThat(labels(parse("a,label\n1,1.0\n2,+0\n3,2.\n4,\"1\"\n"))).containsExactly(1, 0, 2, 1);
    }

    @Test
    void oneClassOnlyIsRefusedNamingTheLabelColumn() {
        InvalidCsvException e = refusal("a,b,label\n1,2,3\n4,5,3\n");
        assertThat(e.getMessage())
                .isEqualTo("column 3 ('label'), the label: every row has label 3; a classifier needs at least two "
                        + "classes");
        assertThat(e.column()).isEqualTo(3);
        assertThat(e.line()).isZero();
    }

    @Test
    void anUnknownOrDuplicatedLabelColumnBlamesTheParameter() {
        InvalidCsvException unknown = (InvalidCsvException) catchRefusal("a,b,y\n1,2,0\n", "label");
        assertThat(unknown.parameter()).isEqualTo("label");
        assertThat(unknown.getMessage())
                .isEqualTo("label: no column of the header is named 'label'; its columns are 'a', 'b', 'y'");
        InvalidCsvException twice = (InvalidCsvException) catchRefusal("y,a,y\n1,2,0\n", "y");
        assertThat(twice.getMessage())
                .isEqualTo("label: 2 columns are named 'y' (columns 1, 3); the label must be one column");
    }

    private static Throwable catchRefusal(String csv, String label) {
        try {
            parse(csv, label, DEFAULTS);
        } catch (InvalidCsvException e) {
            return e;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("accepted");
    }

    @Test
    void theLimitsAreEnforcedWhereTheyArePassed() {
        UploadProperties small = new UploadProperties(DataSize.ofBytes(100_000), 3, 4, 5, 1);
        InvalidCsvException rows =
                (InvalidCsvException) catchThrowable(() -> parse("a,y\n1,0\n2,1\n3,0\n4,1\n", null, small));
        assertThat(rows.limit()).isEqualTo(InvalidCsvException.MAX_ROWS);
        assertThat(rows.getMessage()).isEqualTo("line 5: more than gradlab.datasets.upload.max-rows = 3 data rows");
        refused("a,b,c,d,y\n1,2,3,4,0\n", null, small)
                .hasMessage("line 1, column 5: more than gradlab.datasets.upload.max-columns = 4 columns (the label's "
                        + "included)");
        refused("a,y\n1,0\n2,5\n", null, small)
                .hasMessage("line 3, column 2 ('y'): label 5 is over the limit gradlab.datasets.upload.max-classes = 5 "
                        + "(labels 0..4)");
        StringBuilder big = new StringBuilder("a,y\n");
        while (big.length() < 200_000) {
            big.append("0.5,1\n0.25,0\n");
        }
        InvalidCsvException bytes = (InvalidCsvException) catchThrowable(() ->
                parse(big.toString(), null, new UploadProperties(DataSize.ofBytes(100_000), null, null, null, null)));
        assertThat(bytes.limit()).isEqualTo(InvalidCsvException.MAX_BYTES);
        assertThat(bytes.getMessage())
                .matches("line \\d+: the CSV is larger than gradlab.datasets.upload.max-bytes = 100,000 bytes");
    }

    @Test
    void theBytesLimitStopsReadingAtOnce() {
        // An endless body: the parser must stop once it has read past the limit, not read on.
        long[] served = {0};
        InputStream endless = new InputStream() {
            @Override
            public int read() {
                served[0]++;
                return served[0] <= 4
                        ? "a,y\n".charAt((int) served[0] - 1)
                        : "1,0\n".charAt((int) ((served[0] - 5) % 4));
            }
        };
        assertThatThrownBy(() -> CsvDatasetParser.parse(
                        endless, null, new UploadProperties(DataSize.ofKilobytes(256), null, null, null, null)))
                .isInstanceOf(InvalidCsvException.class)
                .hasMessageContaining("max-bytes");
        assertThat(served[0]).isLessThan(256 * 1024 + 70_000);
    }

    private static Throwable catchThrowable(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        return org.assertj.core.api.Assertions.catchThrowable(call);
    }
}
