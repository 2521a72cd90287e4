package dev.gradlab.upload;

/**
 * An upload refused for what it holds: where (line and column, 1-based, when the problem has a place; the query
 * parameter {@code label} when that is at fault) and what is wrong, written for the person who made the file. The
 * upload is refused whole; nothing of it is stored.
 */
public class InvalidCsvException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public static final String MAX_BYTES = "max-bytes";
    public static final String MAX_ROWS = "max-rows";

    private final long line;
    private final int column;
    private final String parameter;
    private final String limit;
    private final String reason;

    private InvalidCsvException(String where, String what, long line, int column, String parameter, String limit) {
        super(where == null ? what : where + ": " + what);
        this.reason = what;
        this.line = line;
        this.column = column;
        this.parameter = parameter;
        this.limit = limit;
    }

    /** At a line, and a column if {@code column > 0}. */
    static InvalidCsvException at(long line, int column, String what) {
        String where = column > 0 ? "line " + line + ", column " + column : "line " + line;
        return new InvalidCsvException(where, what, line, column, null, null);
    }

    /** At a cell: its line, its column and the column's name in the header. */
    static InvalidCsvException at(long line, int column, String columnName, String what) {
        return new InvalidCsvException(
                "line " + line + ", column " + column + " (" + columnName + ")", what, line, column, null, null);
    }

    /** About the whole file (one class only): the column it concerns, if any. */
    static InvalidCsvException whole(int column, String what) {
        return new InvalidCsvException(null, what, 0, column, null, null);
    }

    /** The query parameter {@code parameter} does not fit the file. */
    static InvalidCsvException parameter(String parameter, String what) {
        return new InvalidCsvException(parameter, what, 0, 0, parameter, null);
    }

    /** Over {@code limit} (max-bytes or max-rows: answered 413), at the line where it was seen. */
    static InvalidCsvException tooLarge(String limit, long line, String what) {
        return new InvalidCsvException("line " + line, what, line, 0, null, limit);
    }

    /** What is wrong, without where (the message says both). */
    public String reason() {
        return reason;
    }

    /** 1-based line of the problem, or 0 when it has none. */
    public long line() {
        return line;
    }

    /** 1-based column of the problem, or 0 when it has none. */
    public int column() {
        return column;
    }

    /** The query parameter at fault ({@code label}), or null when the file is. */
    public String parameter() {
        return parameter;
    }

    /**
     * The limit passed, {@value #MAX_BYTES} or {@value #MAX_ROWS} ({@code gradlab.datasets.upload.*}): content too
     * large rather than wrong; null otherwise.
     */
    public String limit() {
        return limit;
    }
}
