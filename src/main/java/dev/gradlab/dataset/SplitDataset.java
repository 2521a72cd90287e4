package dev.gradlab.dataset;

public record SplitDataset(Samples train, Samples test) {}
