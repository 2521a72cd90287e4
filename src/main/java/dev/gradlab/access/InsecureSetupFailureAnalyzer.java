package dev.gradlab.access;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Spring Boot's "APPLICATION FAILED TO START" report for security settings that would expose the service. */
public class InsecureSetupFailureAnalyzer extends AbstractFailureAnalyzer<InsecureSetupException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InsecureSetupException cause) {
        return new FailureAnalysis(cause.getMessage(), cause.action(), cause);
    }
}
