package org.transfer4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.transfer4j.SharedData;
import org.transfer4j.report.ClusterPage;
import org.transfer4j.unlabeled.TinyFolder;

/** Issue 15: {@code transfer4j cluster} on a tiny folder. */
class ClusterCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    @Tag("shared")
    void clustersATinyFolder() throws IOException {
        Path data = TinyFolder.make(tmp.resolve("photos"), 4);
        Path out = tmp.resolve("out");
        Path folders = tmp.resolve("named");
        String weights = SharedData.pretrained().toString();
        CliRun run = CliRun.of("cluster", data.toString(), "--k", "2", "--weights-dir", weights, "--out", out.toString(),
                "--write-folders", folders.toString(), "--json");
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode r = JSON.readTree(run.out().strip());
        assertThat(r.get("k").asInt()).isEqualTo(2);
        assertThat(r.get("images").asInt()).isEqualTo(9);
        assertThat(r.get("clusters").get(0).get("images").asInt() + r.get("clusters").get(1).get("images").asInt())
                .isEqualTo(9);
        List<String> csv = Files.readAllLines(out.resolve(ClusterCommand.CSV));
        assertThat(csv).hasSize(10);
        assertThat(csv.get(0)).isEqualTo("path,content_hash,class_folder,cluster,distance_to_centre");
        assertThat(csv.get(1)).startsWith("ants/").contains(",ants,cluster-0");
        assertThat(ImageIO.read(out.resolve("cluster-01.png").toFile())).isNotNull();
        assertThat(ImageIO.read(out.resolve("cluster-02.png").toFile())).isNotNull();
        String html = Files.readString(out.resolve(ClusterPage.HTML));
        assertThat(html).contains("cluster-01").contains("data:image/jpeg;base64,").doesNotContain("src=\"http");
        try (Stream<Path> laid = Files.walk(folders)) {
            List<Path> files = laid.filter(p -> !Files.isDirectory(p)).toList();
            assertThat(files).hasSize(9);
            assertThat(files).allSatisfy(f -> assertThat(f.getParent().getFileName().toString()).matches("cluster-0[12]"));
            assertThat(files).anySatisfy(f -> assertThat(f.getFileName().toString()).startsWith("ants__"));
        }

        CliRun auto = CliRun.of("cluster", data.toString(), "--weights-dir", weights, "--out", tmp.resolve("auto").toString());
        assertThat(auto.exitCode()).as(auto.err()).isZero();
        assertThat(auto.out()).contains("(k chosen by silhouette)");

        CliRun again = CliRun.of("cluster", data.toString(), "--k", "2", "--weights-dir", weights, "--out",
                tmp.resolve("o3").toString(), "--write-folders", folders.toString());
        assertThat(again.exitCode()).isEqualTo(Main.USAGE);
        assertThat(again.err()).contains("exists and is not empty");
        assertThat(again.hasStackTrace()).isFalse();
    }

    @Test
    void badUsageIsOneLine() throws IOException {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        for (String k : List.of("0", "many")) {
            CliRun run = CliRun.of("cluster", empty.toString(), "--k", k);
            assertThat(run.exitCode()).isEqualTo(Main.USAGE);
            assertThat(run.err()).contains("--k must be");
            assertThat(run.err().strip().lines()).hasSize(1);
        }
        CliRun run = CliRun.of("cluster", empty.toString(), "--k", "2", "--out", tmp.resolve("o").toString());
        assertThat(run.exitCode()).isEqualTo(Main.FAILED);
        assertThat(run.err()).contains("holds no readable image");
        assertThat(run.hasStackTrace()).isFalse();
    }
}
