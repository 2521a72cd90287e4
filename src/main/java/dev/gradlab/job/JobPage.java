package dev.gradlab.job;

import java.util.List;

/** One page of jobs, newest first. */
public record JobPage(List<JobDetails> items, int page, int size, long total) {}
