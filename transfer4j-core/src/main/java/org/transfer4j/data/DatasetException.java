package org.transfer4j.data;

/**
 * An image folder cannot be used as a dataset: missing, empty, one class only, a class without
 * images, too few images for the requested split. The message names the folder, the rule that was
 * broken and how to fix it.
 */
public class DatasetException extends RuntimeException {

    public DatasetException(String message) {
        super(message);
    }

    public DatasetException(String message, Throwable cause) {
        super(message, cause);
    }
}
