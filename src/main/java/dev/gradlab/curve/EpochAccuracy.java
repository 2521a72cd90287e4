package dev.gradlab.curve;

/** End of an epoch (numbered from 1): accuracy on the whole train and test splits, milliseconds since the run began. */
public record EpochAccuracy(int epoch, long iteration, double trainAccuracy, double testAccuracy, long elapsedMillis) {}
