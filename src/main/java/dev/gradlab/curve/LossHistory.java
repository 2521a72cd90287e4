package dev.gradlab.curve;

import java.util.List;

/**
 * The loss at each kept iteration (NaN and ±Infinity kept as they are), and accuracy per epoch.
 *
 * @param totalPoints points in the requested range before downsampling
 */
public record LossHistory(
        long totalPoints,
        boolean downsampled,
        List<Long> iterations,
        List<Double> values,
        List<EpochAccuracy> epochs) {}
