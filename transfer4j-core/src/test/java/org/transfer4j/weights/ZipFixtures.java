package org.transfer4j.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** Test helpers: write a zip from named byte arrays; assert a one-line error naming a file. */
public final class ZipFixtures {

    private ZipFixtures() {
    }

    /** Writes the entries, in map order, to a new zip file. */
    public static Path zip(Path file, Map<String, byte[]> entries) {
        try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue());
                zip.closeEntry();
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs {@code call}, expecting a {@link WeightsException} whose one-line message names {@code file}. */
    static String failureOf(ThrowingCallable call, Path file) {
        WeightsException e = catchThrowableOfType(WeightsException.class, call);
        assertThat(e).as("a WeightsException for " + file).isNotNull();
        assertThat(e.getMessage()).contains(file.toString()).doesNotContain("\n");
        return e.getMessage();
    }
}
