package org.transfer4j.model;

/** A model bundle cannot be written, or is missing, damaged or of another format. */
public class ModelException extends RuntimeException {

    public ModelException(String message) {
        super(message);
    }

    public ModelException(String message, Throwable cause) {
        super(message, cause);
    }
}
