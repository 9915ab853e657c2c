package org.transfer4j.unlabeled;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Lays image files out under a new folder, as symbolic links where the file system allows and copies
 * otherwise: {@code cluster --write-folders} and {@code suggest --copy-to} write through it.
 */
public final class FolderLayout {

    private FolderLayout() {
    }

    /**
     * Links or copies each source file to its target path below {@code dir}.
     *
     * @param option the option that named {@code dir}, for the message
     * @param sources the files
     * @param targets their paths relative to {@code dir}, same order
     * @return whether links were made (false: copies)
     * @throws IllegalArgumentException when {@code dir} exists and is not an empty folder
     */
    public static boolean write(Path dir, String option, List<Path> sources, List<String> targets) {
        try {
            if (Files.isDirectory(dir)) {
                try (Stream<Path> entries = Files.list(dir)) {
                    if (entries.findAny().isPresent()) {
                        throw new IllegalArgumentException(option + " " + dir + " exists and is not empty; give a new folder");
                    }
                }
            } else if (Files.exists(dir)) {
                throw new IllegalArgumentException(option + " " + dir + " is a file; give a new folder");
            }
            boolean links = true;
            for (int i = 0; i < sources.size(); i++) {
                Path to = dir.resolve(targets.get(i));
                Files.createDirectories(to.getParent());
                Path from = sources.get(i).toAbsolutePath();
                if (links) {
                    try {
                        Files.createSymbolicLink(to, from);
                        continue;
                    } catch (UnsupportedOperationException | IOException e) {
                        links = false;
                    }
                }
                Files.copy(from, to);
            }
            return links;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the files under " + dir + ": " + e.getMessage(), e);
        }
    }
}
