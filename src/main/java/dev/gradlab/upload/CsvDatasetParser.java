package dev.gradlab.upload;

import dev.gradlab.dataset.UploadedData;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Parses a CSV upload as it streams in, straight into the stored form: the text is never held, only the floats
 * (one block at a time grows; finished blocks are the upload's floats, see {@link UploadedData}) and the current
 * cell's bytes. Memory is therefore bounded by the parsed floats and the 64 KB read buffer, whatever the text.
 *
 * <p>The format: a header row (the columns' names), then one row per example, cells separated by commas (RFC 4180:
 * a cell may be quoted, {@code ""} inside quotes is a quote; spaces and tabs around a cell are ignored; LF or CRLF
 * line ends; a UTF-8 byte order mark is skipped; blank lines are skipped). Every column but the label is a feature:
 * a decimal number (sign, digits, point, exponent) that fits a float32 (NaN and infinities are refused). The label
 * is a class number 0, 1, 2, … ({@code 3.0} counts as 3); the classes are 0 .. the largest label. The first problem
 * stops the parse, naming its line and column (1-based; the header is line 1).
 *
 * <p>Numbers are read exactly as {@link Float#parseFloat} reads them (correctly rounded): up to 15 significant
 * digits and a decimal exponent within ±22 by one double multiplication or division of exact operands, rounded to
 * float, the rest (and the rare value halfway between two floats) by {@code Float.parseFloat} itself.
 */
final class CsvDatasetParser {

    /** A number longer than this is refused (no float needs it). */
    static final int MAX_CELL_BYTES = 256;
    /** A column name longer than this is refused. */
    static final int MAX_NAME_BYTES = 1000;
    /** The stored name of the label column is cut to this (the database column's width). */
    static final int MAX_LABEL_COLUMN_CHARS = 200;

    private static final int END = -1;
    /** 10⁰ .. 10²², each exactly a double. */
    private static final double[] POW10 = {
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19,
        1e20, 1e21, 1e22
    };
    /** Integers below this are exact doubles. */
    private static final long EXACT_DOUBLE_MANTISSA = 1L << 53;
    /** The 29 bits a double's significand has beyond a float's, and their value exactly halfway. */
    private static final long FLOAT_ROUNDING_BITS = (1L << 29) - 1;

    private static final long FLOAT_MIDPOINT = 1L << 28;
    private static final int FAST_DIGITS = 18;

    private final InputStream in;
    private final UploadProperties limits;
    private final long maxBytes;
    private final byte[] buffer = new byte[1 << 16];
    private int pos;
    private int limit;
    private long bytes;
    private long line = 1;
    private byte[] cell = new byte[MAX_CELL_BYTES];
    private int cellLength;

    private CsvDatasetParser(InputStream in, UploadProperties limits) {
        this.in = in;
        this.limits = limits;
        this.maxBytes = limits.maxBytes().toBytes();
    }

    /**
     * @param label the label column's name, or null for the last column
     * @throws InvalidCsvException at the first problem (nothing is kept)
     * @throws IOException         when reading the stream fails
     */
    static ParsedUpload parse(InputStream in, String label, UploadProperties limits) throws IOException {
        return new CsvDatasetParser(in, limits).parse(label);
    }

    private ParsedUpload parse(String label) throws IOException {
        if (!fill()) {
            throw InvalidCsvException.at(
                    1,
                    0,
                    "the CSV is empty: it needs a header row (the columns' names) and rows " + "of numbers under it");
        }
        skipByteOrderMark();
        List<String> names = header();
        int columns = names.size();
        int labelIndex = labelIndex(names, label);
        int features = columns - 1;
        Blocks blocks = new Blocks(features);
        int[] classRows = new int[limits.maxClasses()];
        int maxLabel = -1;
        line = 2;
        cell = new byte[MAX_CELL_BYTES];
        int rows = 0;
        while (true) {
            int terminator = readCell(MAX_CELL_BYTES, 1, names);
            if (cellLength == 0 && terminator != ',') {
                if (terminator == END) {
                    break;
                }
                line++; // a blank line
                continue;
            }
            if (rows == limits.maxRows()) {
                throw InvalidCsvException.tooLarge(
                        InvalidCsvException.MAX_ROWS,
                        line,
                        String.format(
                                Locale.ROOT,
                                "more than gradlab.datasets.upload.max-rows = %,d data rows",
                                limits.maxRows()));
            }
            blocks.startRow();
            int column = 0;
            int feature = 0;
            while (true) {
                if (column == labelIndex) {
                    int classNumber = label(column, names);
                    blocks.label(classNumber);
                    classRows[classNumber]++;
                    maxLabel = Math.max(maxLabel, classNumber);
                } else {
                    blocks.feature(feature++, number(column, names));
                }
                column++;
                if (terminator != ',') {
                    break;
                }
                if (column == columns) {
                    throw InvalidCsvException.at(
                            line,
                            column + 1,
                            "this row has more than " + columns + " cells; the header has " + columns + " columns");
                }
                terminator = readCell(MAX_CELL_BYTES, column + 1, names);
            }
            if (column < columns) {
                throw InvalidCsvException.at(
                        line,
                        column + 1,
                        "this row has " + column + (column == 1 ? " cell" : " cells") + "; the header has " + columns
                                + " columns (" + shortName(names.get(column)) + " is missing)");
            }
            rows++;
            if (terminator == END) {
                break;
            }
            line++;
        }
        if (rows == 0) {
            throw InvalidCsvException.at(2, 0, "no data rows: the CSV has a header and nothing under it");
        }
        int classes = maxLabel + 1;
        int used = 0;
        for (int c = 0; c < classes; c++) {
            used += classRows[c] > 0 ? 1 : 0;
        }
        if (used < 2) {
            throw InvalidCsvException.whole(
                    labelIndex + 1,
                    "column " + (labelIndex + 1) + " (" + shortName(names.get(labelIndex)) + "), the label: every "
                            + "row has label " + maxLabel + "; a classifier needs at least two classes");
        }
        String labelColumn = names.get(labelIndex);
        if (labelColumn.length() > MAX_LABEL_COLUMN_CHARS) {
            labelColumn = labelColumn.substring(0, MAX_LABEL_COLUMN_CHARS);
        }
        List<UploadedData.Block> done = blocks.finish();
        UploadedData.ContentDigest digest = blocks.digest;
        done.forEach(b -> digest.labels(b.labels()));
        return new ParsedUpload(
                rows,
                features,
                classes,
                Arrays.copyOf(classRows, classes),
                labelColumn,
                bytes,
                digest.finish(rows, features),
                done);
    }

    // ---- header ------------------------------------------------------------------------------------------------

    private void skipByteOrderMark() {
        if (limit - pos >= 3
                && (buffer[pos] & 0xFF) == 0xEF
                && (buffer[pos + 1] & 0xFF) == 0xBB
                && (buffer[pos + 2] & 0xFF) == 0xBF) {
            pos += 3;
        }
    }

    private List<String> header() throws IOException {
        cell = new byte[MAX_NAME_BYTES];
        List<String> names = new ArrayList<>();
        int terminator;
        do {
            if (names.size() == limits.maxColumns()) {
                throw InvalidCsvException.at(
                        1,
                        names.size() + 1,
                        "more than gradlab.datasets.upload.max-columns = " + limits.maxColumns()
                                + " columns (the label's included)");
            }
            terminator = readCell(MAX_NAME_BYTES, names.size() + 1, null);
            // PostgreSQL's text cannot hold NUL; a name is only shown, so it is replaced rather than refused.
            names.add(new String(cell, 0, cellLength, StandardCharsets.UTF_8).replace('\u0000', '\uFFFD'));
        } while (terminator == ',');
        if (names.size() == 1 && names.get(0).isEmpty()) {
            throw InvalidCsvException.at(
                    1,
                    0,
                    terminator == END
                            ? "the CSV is empty: it needs a header row (the columns' names) and rows of numbers under "
                                    + "it"
                            : "the header row is empty; it names the columns, separated by commas");
        }
        if (names.size() < 2) {
            throw InvalidCsvException.at(
                    1,
                    0,
                    "the header has 1 column; a dataset needs at least one feature column and the label column, "
                            + "separated by commas");
        }
        if (terminator == END) {
            throw InvalidCsvException.at(2, 0, "no data rows: the CSV has a header and nothing under it");
        }
        return names;
    }

    private static int labelIndex(List<String> names, String label) {
        if (label == null) {
            return names.size() - 1;
        }
        List<Integer> found = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            if (names.get(i).equals(label)) {
                found.add(i + 1);
            }
        }
        if (found.isEmpty()) {
            StringBuilder all = new StringBuilder();
            for (int i = 0; i < names.size() && all.length() < 300; i++) {
                all.append(i == 0 ? "" : ", ").append(shortName(names.get(i)));
            }
            return fail(InvalidCsvException.parameter(
                    "label",
                    "no column of the header is named " + shortName(label) + "; its columns are " + all
                            + (all.length() >= 300 ? ", …" : "")));
        }
        if (found.size() > 1) {
            return fail(InvalidCsvException.parameter(
                    "label",
                    found.size() + " columns are named " + shortName(label) + " (columns "
                            + found.toString().replaceAll("[\\[\\]]", "") + "); the label must be one column"));
        }
        return found.get(0) - 1;
    }

    private static int fail(InvalidCsvException e) {
        throw e;
    }

    // ---- cells ----------------------------------------------------------------------------------------------------

    /**
     * Reads one cell into {@link #cell} ({@link #cellLength} bytes), unquoted and with the spaces, tabs and carriage
     * returns around it removed, and returns what ended it: ',', '\n' or {@link #END}.
     *
     * @param column the cell's 1-based column, for messages; @param names the header, for messages (null: in it)
     */
    private int readCell(int max, int column, List<String> names) throws IOException {
        cellLength = 0;
        int b = read();
        while (b == ' ' || b == '\t') {
            b = read();
        }
        if (b == '"') {
            while (true) {
                b = read();
                if (b == '"') {
                    b = read();
                    if (b != '"') {
                        break;
                    }
                } else if (b == '\n' || b == END) {
                    throw cellProblem(column, names, "a quoted cell does not end on its line (a \" is missing)");
                }
                append(b, max, column, names);
            }
            while (b == ' ' || b == '\t' || b == '\r') {
                b = read();
            }
            if (b != ',' && b != '\n' && b != END) {
                throw cellProblem(column, names, "text after the closing quote of a quoted cell");
            }
            return b;
        }
        while (b != ',' && b != '\n' && b != END) {
            append(b, max, column, names);
            b = read();
        }
        while (cellLength > 0) {
            byte last = cell[cellLength - 1];
            if (last != ' ' && last != '\t' && last != '\r') {
                break;
            }
            cellLength--;
        }
        return b;
    }

    private void append(int b, int max, int column, List<String> names) {
        if (cellLength == max) {
            throw cellProblem(
                    column,
                    names,
                    names == null
                            ? "a column name of more than " + max + " bytes"
                            : "a cell of more than " + max + " characters (" + text() + "…) is not a number");
        }
        cell[cellLength++] = (byte) b;
    }

    private InvalidCsvException cellProblem(int column, List<String> names, String what) {
        if (names == null || column > names.size()) {
            return InvalidCsvException.at(line, column, what);
        }
        return InvalidCsvException.at(line, column, shortName(names.get(column - 1)), what);
    }

    /** The feature at 0-based {@code column}: a finite float32. */
    private float number(int column, List<String> names) {
        if (cellLength == 0) {
            throw cellProblem(column + 1, names, "an empty cell; a number is needed");
        }
        byte[] c = cell;
        int n = cellLength;
        int i = 0;
        boolean negative = false;
        if (c[0] == '-' || c[0] == '+') {
            negative = c[0] == '-';
            i++;
        }
        long mantissa = 0;
        int digits = 0;
        int exponent = 0;
        boolean any = false;
        boolean slow = false;
        while (i < n && c[i] >= '0' && c[i] <= '9') {
            int d = c[i++] - '0';
            any = true;
            if (digits < FAST_DIGITS) {
                if (mantissa != 0 || d != 0) {
                    mantissa = mantissa * 10 + d;
                    digits++;
                }
            } else {
                slow = true;
            }
        }
        if (i < n && c[i] == '.') {
            i++;
            while (i < n && c[i] >= '0' && c[i] <= '9') {
                int d = c[i++] - '0';
                any = true;
                if (digits < FAST_DIGITS) {
                    if (mantissa != 0 || d != 0) {
                        mantissa = mantissa * 10 + d;
                        digits++;
                    }
                    exponent--;
                } else {
                    slow = true;
                }
            }
        }
        if (!any) {
            throw cellProblem(column + 1, names, notANumber());
        }
        if (i < n && (c[i] == 'e' || c[i] == 'E')) {
            i++;
            boolean negativeExponent = false;
            if (i < n && (c[i] == '-' || c[i] == '+')) {
                negativeExponent = c[i] == '-';
                i++;
            }
            if (i == n) {
                throw cellProblem(column + 1, names, notANumber());
            }
            int e = 0;
            while (i < n && c[i] >= '0' && c[i] <= '9') {
                e = Math.min(e * 10 + (c[i++] - '0'), 100_000);
            }
            exponent += negativeExponent ? -e : e;
        }
        if (i != n) {
            throw cellProblem(column + 1, names, notANumber());
        }
        if (!slow && mantissa == 0) {
            return 0f; // -0 too: one zero, so that equal data hash alike
        }
        float value = Float.NaN;
        if (!slow && mantissa < EXACT_DOUBLE_MANTISSA && exponent >= -22 && exponent <= 22) {
            // Both operands are exact doubles, so d is the correctly rounded double of the decimal. Rounding d to
            // float gives the correctly rounded float unless d sits exactly halfway between two floats (every such
            // midpoint is a double, and rounding to the nearest double never crosses one): then ask parseFloat.
            double d = exponent >= 0 ? mantissa * POW10[exponent] : mantissa / POW10[-exponent];
            if ((Double.doubleToRawLongBits(d) & FLOAT_ROUNDING_BITS) != FLOAT_MIDPOINT) {
                value = (float) d;
            }
        }
        if (Float.isNaN(value)) {
            value = Math.abs(Float.parseFloat(new String(c, 0, n, StandardCharsets.ISO_8859_1)));
        }
        if (Float.isInfinite(value)) {
            throw cellProblem(column + 1, names, "'" + text() + "' is outside float32's range (about ±3.4 × 10³⁸)");
        }
        return negative ? -value + 0f : value;
    }

    private String notANumber() {
        String t = text();
        String word = t.toLowerCase(Locale.ROOT).replaceFirst("^[+-]", "");
        if (word.equals("nan") || word.equals("inf") || word.equals("infinity")) {
            return "'" + t + "' is not a finite number; every feature must be one";
        }
        return "'" + t + "' is not a number";
    }

    /** The label at 0-based {@code column}: a class number 0 .. max-classes − 1. */
    private int label(int column, List<String> names) {
        byte[] c = cell;
        int n = cellLength;
        if (n == 0) {
            throw cellProblem(column + 1, names, "an empty label; a class number 0, 1, 2, … is needed");
        }
        int i = 0;
        boolean negative = false;
        if (c[0] == '-' || c[0] == '+') {
            negative = c[0] == '-';
            i++;
        }
        long value = 0;
        boolean any = false;
        while (i < n && c[i] >= '0' && c[i] <= '9') {
            value = Math.min(value * 10 + (c[i++] - '0'), Integer.MAX_VALUE);
            any = true;
        }
        if (any && i < n && c[i] == '.') {
            i++;
            while (i < n && c[i] == '0') {
                i++;
            }
        }
        if (!any || i != n) {
            throw cellProblem(
                    column + 1, names, "label '" + text() + "' is not an integer: labels are class numbers 0, 1, 2, …");
        }
        if (negative && value != 0) {
            throw cellProblem(
                    column + 1, names, "label " + text() + " is negative: labels are class numbers 0, 1, 2, …");
        }
        if (value >= limits.maxClasses()) {
            throw cellProblem(
                    column + 1,
                    names,
                    "label " + text() + " is over the limit gradlab.datasets.upload.max-classes = "
                            + limits.maxClasses() + " (labels 0.." + (limits.maxClasses() - 1) + ")");
        }
        return (int) value;
    }

    /** The current cell as text for a message, cut to 40 characters. */
    private String text() {
        int shown = Math.min(cellLength, 40);
        return new String(cell, 0, shown, StandardCharsets.UTF_8) + (shown < cellLength ? "…" : "");
    }

    private static String shortName(String name) {
        String shown = name.length() > 40 ? name.substring(0, 40) + "…" : name;
        return "'" + shown + "'";
    }

    // ---- bytes ----------------------------------------------------------------------------------------------------

    private int read() throws IOException {
        if (pos == limit && !fill()) {
            return END;
        }
        int b = buffer[pos++] & 0xFF;
        return b;
    }

    private boolean fill() throws IOException {
        int n;
        do {
            n = in.read(buffer, 0, buffer.length);
        } while (n == 0);
        if (n < 0) {
            return false;
        }
        bytes += n;
        if (bytes > maxBytes) {
            throw InvalidCsvException.tooLarge(
                    InvalidCsvException.MAX_BYTES,
                    line,
                    String.format(
                            Locale.ROOT,
                            "the CSV is larger than gradlab.datasets.upload.max-bytes = %,d bytes",
                            maxBytes));
        }
        pos = 0;
        limit = n;
        return true;
    }

    /**
     * The parsed rows, in blocks of {@link UploadedData#rowsPerBlock} rows written as they are parsed; each full
     * block is final (its features enter the content hash at once).
     */
    private static final class Blocks {
        final UploadedData.ContentDigest digest = new UploadedData.ContentDigest();
        private final int width;
        private final int rowsPerBlock;
        private final List<UploadedData.Block> done = new ArrayList<>();
        private ByteBuffer features;
        private ByteBuffer labels;
        private int firstRow;
        private int row = -1;

        Blocks(int width) {
            this.width = width;
            this.rowsPerBlock = UploadedData.rowsPerBlock(width);
        }

        void startRow() {
            if (features == null || row + 1 == rowsPerBlock) {
                if (features != null) {
                    close(rowsPerBlock);
                }
                features = UploadedData.littleEndian(new byte[rowsPerBlock * width * Float.BYTES]);
                labels = UploadedData.littleEndian(new byte[rowsPerBlock * Integer.BYTES]);
                row = -1;
            }
            row++;
        }

        void feature(int index, float value) {
            features.putFloat((row * width + index) * Float.BYTES, value);
        }

        void label(int value) {
            labels.putInt(row * Integer.BYTES, value);
        }

        private void close(int rows) {
            byte[] f = features.array();
            byte[] l = labels.array();
            if (rows < rowsPerBlock) {
                f = Arrays.copyOf(f, rows * width * Float.BYTES);
                l = Arrays.copyOf(l, rows * Integer.BYTES);
            }
            digest.features(f);
            done.add(new UploadedData.Block(firstRow, f, l));
            firstRow += rows;
        }

        List<UploadedData.Block> finish() {
            if (features != null) {
                close(row + 1);
                features = null;
            }
            return done;
        }
    }
}
