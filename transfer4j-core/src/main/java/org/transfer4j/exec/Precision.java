package org.transfer4j.exec;

import java.util.Locale;

/** The number format a backbone runs in on ONNX Runtime. */
public enum Precision {
    /** 32-bit floats: the weights as trained. */
    FP32,
    /** 8-bit integer convolutions and matrix products (a QDQ model), with float outputs. */
    INT8;

    /**
     * Reads {@code fp32} or {@code int8} (any case).
     *
     * @throws IllegalArgumentException naming the value and the two accepted ones
     */
    public static Precision parse(String text) {
        for (Precision p : values()) {
            if (p.id().equalsIgnoreCase(text == null ? "" : text.trim())) {
                return p;
            }
        }
        throw new IllegalArgumentException("--precision must be fp32 or int8, got '" + text + "'");
    }

    /** The lower-case name used on the command line and in files. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
