package dev.gradlab.diagnosis;

import java.util.List;

/**
 * One thing the diagnosis found.
 *
 * @param layerIndex the layer it concerns (input → output), or null when it concerns the whole run
 * @param layer      that layer's name, or null
 * @param iteration  the last iteration of the window it was judged on, or null when no statistic was read
 */
public record Finding(
        FindingCode code,
        Severity severity,
        Integer layerIndex,
        String layer,
        Long iteration,
        Evidence evidence,
        String summary,
        List<Remedy> remedies) {}
