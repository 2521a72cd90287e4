package dev.gradlab.study;

/** The study is in a state that does not allow the request (cancelling a finished study). */
public class StudyStateException extends RuntimeException {
    StudyStateException(String message) {
        super(message);
    }
}
