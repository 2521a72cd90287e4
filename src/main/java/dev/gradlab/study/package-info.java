/**
 * Studies: matched ablations. A base spec, the spec fields to vary with their values, and repeats become one job per
 * combination × repeat, created and queued with the study in one transaction (all or none). Within a repeat every
 * variant gets the same seeds, hence the same data, minibatch order and initial weights wherever its layers agree
 * (network.MatchedInit); repeat r adds r to both seeds. A study's state is its jobs' state in the database, so any
 * instance answers for it; its table aggregates the jobs' results (median, min, max over repeats) and, from their
 * curves, the best test accuracy and the iterations to a target loss.
 */
package dev.gradlab.study;
