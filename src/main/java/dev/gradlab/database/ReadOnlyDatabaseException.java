package dev.gradlab.database;

/** The database opened read-only at startup: GradLab cannot store a job, so it does not start. */
public class ReadOnlyDatabaseException extends IllegalStateException {

    private final String url;

    ReadOnlyDatabaseException(String url) {
        super("the database " + url + " is read-only: its file cannot be written");
        this.url = url;
    }

    String url() {
        return url;
    }
}
