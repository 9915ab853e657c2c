package org.transfer4j.serve;

/** A request that cannot be answered: the HTTP status and the message of the {@code {"error"}} body. */
final class HttpError extends RuntimeException {

    private final int status;
    private final String retryAfter;

    HttpError(int status, String message) {
        this(status, message, null);
    }

    HttpError(int status, String message, String retryAfter) {
        super(message);
        this.status = status;
        this.retryAfter = retryAfter;
    }

    int status() {
        return status;
    }

    /** Seconds for a {@code Retry-After} header, or null. */
    String retryAfter() {
        return retryAfter;
    }
}
