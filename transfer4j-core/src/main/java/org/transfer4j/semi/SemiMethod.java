package org.transfer4j.semi;

import java.util.Locale;

/** How the unlabeled images take part in training the head ({@code --semi}). */
public enum SemiMethod {
    /** Label spreading on a kNN graph, then the head trains on labelled plus spread labels weighted by confidence. */
    SPREAD,
    /** Rounds of pseudo labels above a probability threshold chosen on the validation split. */
    PSEUDO,
    /** The unlabeled images are read but not used (the plain head). */
    NONE;

    /** The default of {@code train --semi}, chosen by {@code bench/semi.sh} (see BENCHMARKS.md). */
    public static final SemiMethod DEFAULT = PSEUDO;

    /** The option's spelling. */
    public String option() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses {@code spread}, {@code pseudo} or {@code none}.
     *
     * @throws IllegalArgumentException naming the value
     */
    public static SemiMethod parse(String text) {
        for (SemiMethod m : values()) {
            if (m.option().equals(text)) {
                return m;
            }
        }
        throw new IllegalArgumentException("--semi must be spread, pseudo or none, got '" + text + "'");
    }
}
