package org.transfer4j.unlabeled;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.transfer4j.SharedData;

/** A tiny unlabeled-looking copy of hymenoptera: a few ants and bees in class folders, one image loose, one text file. */
public final class TinyFolder {

    private TinyFolder() {
    }

    /** Copies {@code perClass} ants and bees from hymenoptera's train split under {@code dir}. */
    public static Path make(Path dir, int perClass) throws IOException {
        Path source = SharedData.dataset("hymenoptera").resolve("train");
        for (String cls : List.of("ants", "bees")) {
            Path to = Files.createDirectories(dir.resolve(cls));
            try (Stream<Path> files = Files.list(source.resolve(cls))) {
                List<Path> chosen = files.sorted().limit(perClass + 1L).toList();
                for (Path f : chosen.subList(0, perClass)) {
                    Files.copy(f, to.resolve(f.getFileName()));
                }
                if (cls.equals("bees")) {
                    Files.copy(chosen.get(perClass), dir.resolve("loose.jpg"));
                }
            }
        }
        Files.writeString(dir.resolve("notes.txt"), "not an image\n");
        return dir;
    }
}
