package dev.gradlab.web;

import java.util.UUID;

/** A gradient-through-time curve asked of an mlp job, which has no time steps; answered 404. */
class NotRecurrentException extends RuntimeException {
    NotRecurrentException(UUID id) {
        super("job " + id + " is an mlp: gradients through time are recorded for model.type rnn only; see "
                + "/curves/gradients for its layers");
    }
}
