package dev.gradlab.web;

/** As many event streams are open on this instance as it allows: the client should poll the job instead. */
class TooManyEventStreamsException extends RuntimeException {
    TooManyEventStreamsException(int max) {
        super("this instance already serves " + max + " event streams (gradlab.api.max-event-streams); poll "
                + "GET /api/v1/jobs/{id} instead, or retry later");
    }
}
