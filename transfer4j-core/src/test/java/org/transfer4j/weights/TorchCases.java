package org.transfer4j.weights;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.transfer4j.parity.PythonScript;

/**
 * The small real {@code torch.save} and {@code np.savez} files made by
 * {@code python/make_pth_cases.py}, generated once per test JVM into a temporary folder that is
 * deleted at exit.
 */
final class TorchCases {

    private static Path dir;

    private TorchCases() {
    }

    /** The file of that name, e.g. {@code dtypes.pth}; skips the test when python3-torch is absent. */
    static synchronized Path file(String name) {
        if (dir == null) {
            try {
                Path d = Files.createTempDirectory("torch-cases-");
                Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(d)));
                PythonScript.run("make_pth_cases.py", List.of(d.toString()), 120);
                dir = d;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return dir.resolve(name);
    }

    private static void delete(Path d) {
        try (Stream<Path> files = Files.walk(d)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort at JVM exit
        }
    }
}
