package dev.gradlab.diagnosis;

import java.util.List;

/** A job's findings: problems, worst first, or a single HEALTHY finding. */
public record Diagnosis(List<Finding> findings) {}
