package dev.gradlab.upload;

import java.util.List;

/** One page of uploaded datasets, newest first, and how many there are in all. */
public record DatasetPage(List<DatasetDetails> items, int page, int size, long total) {}
