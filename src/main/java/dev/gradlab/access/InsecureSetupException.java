package dev.gradlab.access;

/** The security settings would expose the service (or cannot work): it does not start. */
public class InsecureSetupException extends RuntimeException {

    private final String action;

    InsecureSetupException(String problem, String action) {
        super(problem);
        this.action = action;
    }

    /** What the operator should do. */
    public String action() {
        return action;
    }
}
