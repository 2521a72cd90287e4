package dev.gradlab.study;

import dev.gradlab.spec.ExperimentSpec;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * A study as requested: a base spec (fields omitted take their defaults), the spec fields to vary, each a dotted
 * path such as {@code model.depth} with its values as JSON (in order: the first path varies slowest), how many
 * repeats (default 1) and an optional target loss. Any of them may be null.
 */
public record StudyDefinition(
        String name, ExperimentSpec base, Map<String, List<JsonNode>> vary, Integer repeats, Double targetLoss) {}
