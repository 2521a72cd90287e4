/**
 * Built-in datasets as plain arrays, each a pure function of {@code dataset.seed}, split into train and test:
 * 2-D point sets, random inputs with random labels, and the sequence tasks. Knows no DL4J.
 */
package dev.gradlab.dataset;
