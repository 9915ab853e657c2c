package org.transfer4j.weights;

/** A weights file or set is unusable: missing, corrupt, of the wrong architecture or hash. */
public class WeightsException extends RuntimeException {

    public WeightsException(String message) {
        super(message);
    }

    public WeightsException(String message, Throwable cause) {
        super(message, cause);
    }
}
