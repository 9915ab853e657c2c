package org.transfer4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.transfer4j.SharedData;
import org.transfer4j.data.NearCopies;

/** Issue 15: {@code inspect --embeddings} reports a re-encoded copy of a training image in the test split as leakage by content. */
class InspectEmbeddingsTest {

    @TempDir
    Path tmp;

    @Test
    @Tag("shared")
    void findsAReencodedCopy() throws IOException {
        Path source = SharedData.dataset("hymenoptera");
        Path data = tmp.resolve("d");
        for (String split : new String[] {"train", "val"}) {
            for (String cls : new String[] {"ants", "bees"}) {
                Path to = Files.createDirectories(data.resolve(split).resolve(cls));
                try (Stream<Path> files = Files.list(source.resolve(split).resolve(cls))) {
                    for (Path f : files.sorted().limit(4).toList()) {
                        Files.copy(f, to.resolve(f.getFileName()));
                    }
                }
            }
        }
        Path original;
        try (Stream<Path> files = Files.list(data.resolve("train").resolve("ants"))) {
            original = files.sorted().findFirst().orElseThrow();
        }
        BufferedImage image = ImageIO.read(original.toFile());
        Files.write(data.resolve("val").resolve("ants").resolve("copy-q40.jpg"), NearCopies.jpeg(image, 0.4f));
        String weights = SharedData.pretrained().toString();
        CliRun run = CliRun.of("inspect", data.toString(), "--embeddings", "--weights-dir", weights, "--json");
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode near = null;
        for (JsonNode f : new ObjectMapper().readTree(run.out()).get("findings")) {
            if (f.get("code").asText().equals("leakage-content")) {
                near = f;
            }
        }
        assertThat(near).as(run.out()).isNotNull();
        assertThat(near.get("files").toString()).contains("copy-q40.jpg").contains(original.getFileName().toString());
        System.out.println("inspect --embeddings: " + near);

        CliRun bad = CliRun.of("inspect", data.toString(), "--embeddings", "--min-cosine", "2");
        assertThat(bad.exitCode()).isEqualTo(Main.USAGE);
        assertThat(bad.err()).contains("--min-cosine must be in (0, 1], got 2.0");
    }
}
