/**
 * Built-in datasets as plain arrays, split into train and test: generated ones, each a pure function of
 * {@code dataset.seed} (2-D point sets, random inputs with random labels, the sequence tasks), and recorded images
 * drawn by that seed: the bundled UCI digits, and MNIST and Fashion-MNIST from a shared cache folder where a
 * missing file is fetched once and every file is checked by SHA-256. Users' uploads are drawn by the seed too,
 * read through {@link dev.gradlab.dataset.UploadedDatasets} (implemented by the storage, {@code upload}) in the
 * stored form {@link dev.gradlab.dataset.UploadedData} defines, and optionally standardised. Knows no DL4J.
 */
package dev.gradlab.dataset;
