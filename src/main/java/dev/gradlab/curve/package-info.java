/**
 * The read path of the measurements: stored series back as columnar curves, downsampled by min/max buckets so a
 * spike never disappears. Returns its own records with doubles as recorded (NaN and ±Infinity included); how they
 * become JSON is {@code web}'s business.
 */
package dev.gradlab.curve;
