package dev.gradlab.web;

/** A query parameter outside its allowed range; answered 400 naming the parameter. */
class BadParameterException extends RuntimeException {

    private final String parameter;

    BadParameterException(String parameter, String message) {
        super(message);
        this.parameter = parameter;
    }

    String parameter() {
        return parameter;
    }
}
