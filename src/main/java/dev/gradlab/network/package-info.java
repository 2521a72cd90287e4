/**
 * Spec → DL4J network: MLPs as ComputationGraphs (plain, batch norm, residual blocks), recurrent nets as
 * MultiLayerNetworks with W_rec = orthogonal × recurrentScale, and the layer descriptors that say which slice of the
 * flat parameter vector belongs to which layer. One of the two packages that touch DL4J.
 */
package dev.gradlab.network;
