package dev.gradlab.database;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Spring Boot's "APPLICATION FAILED TO START" report for a read-only H2 database: what, and what to do. */
public class ReadOnlyDatabaseFailureAnalyzer extends AbstractFailureAnalyzer<ReadOnlyDatabaseException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, ReadOnlyDatabaseException cause) {
        return new FailureAnalysis(
                "GradLab's database " + cause.url() + " opened read-only: its file (or the directory holding it) "
                        + "cannot be written, so no job could be stored. Nothing was changed in it.",
                "Make the database file (gradlab.mv.db) and its directory writable by the user running GradLab "
                        + "(and check that the disk is not mounted read-only), or point spring.datasource.url at a "
                        + "writable place.",
                cause);
    }
}
