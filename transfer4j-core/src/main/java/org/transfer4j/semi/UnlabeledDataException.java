package org.transfer4j.semi;

import org.transfer4j.data.DatasetException;

/**
 * An unlabeled folder that cannot take part in training: no readable image, or nothing left once the
 * images that are also labelled are excluded. The command line reports it as bad usage (exit 2).
 */
public final class UnlabeledDataException extends DatasetException {

    private static final long serialVersionUID = 1L;

    public UnlabeledDataException(String message) {
        super(message);
    }
}
