package dev.gradlab.web;

import java.io.IOException;

/** Thrown while reading a body that turns out longer than allowed (no or false Content-Length). */
class BodyTooLargeException extends IOException {
    BodyTooLargeException(long limit) {
        super("request body is larger than " + limit + " bytes");
    }
}
