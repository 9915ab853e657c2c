package org.transfer4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.transfer4j.SharedData;
import org.transfer4j.unlabeled.EmbeddingFiles;
import org.transfer4j.unlabeled.TinyFolder;

/** Issue 15: {@code transfer4j index} (incremental) and {@code transfer4j similar} on a tiny folder. */
class SimilarCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    @Tag("shared")
    void indexesIncrementallyAndFindsNeighbours() throws IOException {
        Path data = TinyFolder.make(tmp.resolve("photos"), 3);
        Path index = tmp.resolve("index");
        String weights = SharedData.pretrained().toString();
        CliRun first = CliRun.of("index", data.toString(), "--weights-dir", weights, "--out", index.toString());
        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(first.out()).contains("7 images indexed").contains("exact");

        Path query = data.resolve("ants").resolve(Files.list(data.resolve("ants")).sorted().findFirst().orElseThrow()
                .getFileName());
        Files.copy(query, data.resolve("bees").resolve("copy-of-an-ant.jpg"));
        ImageIO.write(ImageIO.read(query.toFile()), "png", data.resolve("bees").resolve("ant-as.png").toFile());
        CliRun second = CliRun.of("index", data.toString(), "--weights-dir", weights, "--out", index.toString());
        assertThat(second.exitCode()).as(second.err()).isZero();
        assertThat(second.err()).contains("9 images, 8 already in the index, 1 new");
        assertThat(second.out()).contains("9 images indexed");
        assertThat(EmbeddingFiles.read(index).count()).isEqualTo(9);
        CliRun third = CliRun.of("index", data.toString(), "--weights-dir", weights, "--out", index.toString(), "--json");
        assertThat(third.exitCode()).as(third.err()).isZero();
        assertThat(third.err()).contains("9 images, 9 already in the index, 0 new");
        assertThat(JSON.readTree(third.out().strip()).get("count").asInt()).isEqualTo(9);

        Path sheets = tmp.resolve("sheets");
        CliRun run = CliRun.of("similar", index.toString(), query.toString(), "--k", "3", "--weights-dir", weights,
                "--out", sheets.toString(), "--json");
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode result = JSON.readTree(run.out().strip()).get(0);
        assertThat(result.get("search").asText()).isEqualTo("exact");
        JsonNode neighbours = result.get("neighbours");
        assertThat(neighbours).hasSize(3);
        assertThat(neighbours.get(0).get("similarity").asDouble()).isGreaterThanOrEqualTo(
                neighbours.get(1).get("similarity").asDouble());
        assertThat(neighbours.get(0).get("path").asText()).as("the re-encoded copy").isEqualTo("bees/ant-as.png");
        assertThat(run.out()).as("identical content (the query and its copy) is left out").doesNotContain("copy-of-an-ant");
        assertThat(ImageIO.read(sheets.resolve("similar-01.png").toFile()).getWidth()).isEqualTo(4 * 160);

        CliRun folder = CliRun.of("similar", data.toString(), query.toString(), "--k", "2", "--weights-dir", weights,
                "--out", sheets.toString());
        assertThat(folder.exitCode()).as(folder.err()).isZero();
        assertThat(folder.out()).contains("exact search over 9 images").contains("  1  1.0000  bees/ant-as.png").contains("  2  0.");
    }

    @Test
    void badInputIsOneLine() throws IOException {
        Path image = Files.writeString(tmp.resolve("q.jpg"), "x");
        Path bad = Files.createDirectories(tmp.resolve("bad"));
        Files.writeString(bad.resolve(EmbeddingFiles.MANIFEST), "{\"format\": \"something-else\"}");
        CliRun run = CliRun.of("similar", bad.toString(), image.toString());
        assertThat(run.exitCode()).isEqualTo(Main.FAILED);
        assertThat(run.err()).contains(EmbeddingFiles.MANIFEST).contains("is not a transfer4j embeddings manifest");
        assertThat(run.err().strip().lines()).hasSize(1);
        assertThat(run.hasStackTrace()).isFalse();

        run = CliRun.of("similar", image.toString(), image.toString());
        assertThat(run.exitCode()).isEqualTo(Main.FAILED);
        assertThat(run.err()).contains("neither an index folder");

        run = CliRun.of("similar", bad.toString(), tmp.resolve("missing.jpg").toString());
        assertThat(run.exitCode()).isEqualTo(Main.FAILED);
        assertThat(run.err()).contains("missing.jpg").contains("does not exist");

        run = CliRun.of("similar", bad.toString(), image.toString(), "--k", "0");
        assertThat(run.exitCode()).isEqualTo(Main.USAGE);
        assertThat(run.err()).contains("--k must be at least 1, got 0");
        assertThat(CliRun.of("similar", bad.toString()).exitCode()).isEqualTo(Main.USAGE);
        assertThat(CliRun.of("index", bad.toString()).exitCode()).isEqualTo(Main.USAGE);
    }
}
