package dev.gradlab.dataset;

/** One published file of a recorded dataset: its name, as on every mirror, and the SHA-256 of its bytes. */
record IdxFile(String name, String sha256) {}
