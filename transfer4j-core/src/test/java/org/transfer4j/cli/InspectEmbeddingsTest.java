package org.transfer4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.transfer4j.SharedData;

/** Issue 15: {@code inspect --embeddings} reports a re-encoded copy as near content. */
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
        writeJpeg(image, 0.4f, data.resolve("val").resolve("ants").resolve("copy-q40.jpg"));
        String weights = SharedData.pretrained().toString();
        CliRun run = CliRun.of("inspect", data.toString(), "--embeddings", "--weights-dir", weights, "--json");
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode near = null;
        for (JsonNode f : new ObjectMapper().readTree(run.out()).get("findings")) {
            if (f.get("code").asText().equals("near-content")) {
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

    private static void writeJpeg(BufferedImage image, float quality, Path file) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(file.toFile())) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(quality);
            writer.write(null, new IIOImage(image, null, null), param);
        } finally {
            writer.dispose();
        }
    }
}
