package dev.gradlab.diagnosis;

import java.util.List;

/** A cure as the spec changes that apply it (all of them together), and one sentence on why it helps. */
public record Remedy(String summary, List<SpecChange> changes) {}
