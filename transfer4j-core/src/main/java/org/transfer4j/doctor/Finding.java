package org.transfer4j.doctor;

import java.util.List;
import java.util.Objects;

/**
 * One thing the data doctor noticed about a dataset, with the files concerned and what to do.
 *
 * @param severity how much it matters
 * @param code a stable short name, e.g. {@code leakage-exact}, for scripts reading the JSON
 * @param message what was found, in words, with numbers
 * @param files the files (or pairs "a = b") concerned, relative to the dataset folder; may be empty
 * @param suggestion the concrete fix
 */
public record Finding(Severity severity, String code, String message, List<String> files, String suggestion) {

    /** How much a finding matters. */
    public enum Severity {
        /** Distorts training or evaluation (leakage, unreadable files, starved classes): {@code --strict} fails. */
        PROBLEM,
        /** Worth fixing, but training and evaluation stay honest. */
        WARNING,
        /** Worth knowing; handled by transfer4j. */
        NOTE
    }

    public Finding {
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
        files = List.copyOf(files);
        Objects.requireNonNull(suggestion, "suggestion");
    }

    /** Whether this finding distorts training or evaluation. */
    public boolean distorts() {
        return severity == Severity.PROBLEM;
    }
}
