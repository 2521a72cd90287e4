package dev.gradlab.training;

/** End of an epoch (numbered from 1): accuracy on the whole train and test splits, time since the run began. */
public record EpochMetrics(int epoch, long iteration, double trainAccuracy, double testAccuracy, long elapsedMillis) {}
