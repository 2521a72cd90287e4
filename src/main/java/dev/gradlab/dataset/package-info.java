/**
 * Built-in datasets as plain arrays, split into train and test: generated ones, each a pure function of
 * {@code dataset.seed} (2-D point sets, random inputs with random labels, the sequence tasks), and recorded images
 * drawn by that seed: the bundled UCI digits, and MNIST and Fashion-MNIST from a shared cache folder where a
 * missing file is fetched once and every file is checked by SHA-256. Knows no DL4J.
 */
package dev.gradlab.dataset;
