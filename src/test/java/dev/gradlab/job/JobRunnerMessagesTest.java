package dev.gradlab.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** The FAILED reasons a client reads: durations as the property is written, exceptions in words. */
class JobRunnerMessagesTest {

    /** Named like nd4j's and DL4J's own exceptions, which a failing job throws. */
    static class ND4JIllegalStateException extends RuntimeException {
        ND4JIllegalStateException(String message) {
            super(message);
        }
    }

    static class DL4JInvalidInputException extends RuntimeException {
        DL4JInvalidInputException(String message) {
            super(message);
        }
    }

    @Test
    void durationsReadAsThePropertyIsWritten() {
        assertThat(JobRunner.readable(Duration.ofHours(2))).isEqualTo("2h");
        assertThat(JobRunner.readable(Duration.ofMinutes(90))).isEqualTo("1h30m");
        assertThat(JobRunner.readable(Duration.ofMillis(500))).isEqualTo("0.5s");
        assertThat(JobRunner.readable(Duration.ofSeconds(3))).isEqualTo("3s");
    }

    @Test
    void exceptionsAreNamedInWords() {
        assertThat(JobRunner.readable(new OutOfMemoryError("Java heap space")))
                .isEqualTo("training failed (out of memory): Java heap space");
        assertThat(JobRunner.readable(new IllegalStateException("boom")))
                .isEqualTo("training failed (illegal state): boom");
        assertThat(JobRunner.readable(new NullPointerException())).isEqualTo("training failed (null pointer)");
        assertThat(JobRunner.readable(new java.io.UncheckedIOException(new java.io.IOException("gone"))))
                .isEqualTo("training failed (unchecked io): java.io.IOException: gone");
    }

    @Test
    void acronymsInExceptionNamesStayWords() {
        assertThat(JobRunner.readable(new ND4JIllegalStateException("shapes [2, 3] and [4, 5] do not match")))
                .isEqualTo("training failed (nd4j illegal state): shapes [2, 3] and [4, 5] do not match");
        assertThat(JobRunner.readable(new DL4JInvalidInputException("bad input")))
                .isEqualTo("training failed (dl4j invalid input): bad input");
    }

    @Test
    void aLongMessageIsCutToFitTheColumn() {
        String text = JobRunner.readable(new IllegalArgumentException("x".repeat(5000)));
        assertThat(text)
                .hasSize(1901)
                .startsWith("training failed (illegal argument): xxx")
                .endsWith("x…");
        // the job.error column holds 2000 characters
    }

    @Test
    void theReasonDoesNotDependOnTheServersLocale() {
        Locale before = Locale.getDefault();
        try {
            Locale.setDefault(Locale.forLanguageTag("tr-TR")); // lowercases I to dotless ı
            assertThat(JobRunner.readable(new IllegalStateException("boom")))
                    .isEqualTo("training failed (illegal state): boom");
        } finally {
            Locale.setDefault(before);
        }
    }
}
