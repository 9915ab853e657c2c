package org.transfer4j.cli;

import java.util.function.Supplier;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * Bad usage found after parsing: an option value the library refuses. Each command maps its options to
 * library values in one step, {@link #map}; the {@link IllegalArgumentException} a config record
 * throws there ("--epochs must be at least 1, got 0") becomes a picocli {@link ParameterException},
 * which {@link Main#newCommandLine()} prints as one line and exits 2.
 */
final class Usage {

    private Usage() {
    }

    /**
     * Runs a command's option mapping.
     *
     * @param spec the command, for the error
     * @param mapping builds library values (configs, a {@code Transfer}) from the options; reads no data
     * @throws ParameterException with the message of the {@link IllegalArgumentException} it threw
     */
    static <T> T map(CommandSpec spec, Supplier<T> mapping) {
        try {
            return mapping.get();
        } catch (IllegalArgumentException e) {
            throw error(spec, e.getMessage());
        }
    }

    /** {@link #map} for checks that return nothing. */
    static void check(CommandSpec spec, Runnable check) {
        map(spec, () -> {
            check.run();
            return null;
        });
    }

    /** A usage error of a command: its message should name the option and the value. */
    static ParameterException error(CommandSpec spec, String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
