package dev.gradlab.study;

import java.util.List;

/** One page of studies, newest first. */
public record StudyPage(List<StudySummary> items, int page, int size, long total) {}
