package org.transfer4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.transfer4j.SharedData;

/** Issue 14: {@code transfer4j rank} on precomputed features and on a tiny image folder. */
class RankCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void ranksPrecomputedFeatures() throws IOException {
        int n = 40;
        int[] labels = new int[n];
        double[][] separated = new double[n][6];
        double[][] noise = new double[n][6];
        Random random = new Random(11);
        for (int i = 0; i < n; i++) {
            labels[i] = i % 2;
            for (int j = 0; j < 6; j++) {
                separated[i][j] = (j % 2 == labels[i] ? 3 : 0) + random.nextGaussian() * 0.2;
                noise[i][j] = random.nextGaussian();
            }
        }
        Path good = writeNpy(tmp.resolve("good.npy"), separated, false);
        Path bad = writeNpy(tmp.resolve("bad.npy"), noise, true);
        Path y = writeLabels(tmp.resolve("y.txt"), labels);
        Path out = tmp.resolve("out");
        CliRun run = CliRun.of("rank", "--features", bad.toString(), "--features", good.toString(), "--labels",
                y.toString(), "--out", out.toString(), "--json");
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode printed = JSON.readTree(run.out().strip());
        assertThat(printed).isEqualTo(JSON.readTree(out.resolve(RankCommand.JSON).toFile()));
        assertThat(printed.get("recommended").asText()).isEqualTo("good.npy");
        assertThat(printed.get("rule").asText()).isEqualTo("LOGME");
        assertThat(printed.get("recommendedRule").asBoolean()).isTrue();
        JsonNode first = printed.get("backbones").get(0);
        assertThat(first.get("backbone").asText()).isEqualTo("good.npy");
        assertThat(first.get("knnAccuracy").asDouble()).isEqualTo(1.0);
        assertThat(first.get("featureWidth").asInt()).isEqualTo(6);
        assertThat(first.get("images").asInt()).isEqualTo(n);
        assertThat(first.get("imagenetTop1").isNull()).isTrue();
        assertThat(first.get("logMe").asDouble()).isGreaterThan(printed.get("backbones").get(1).get("logMe").asDouble());
        BufferedImage chart = ImageIO.read(out.resolve(RankCommand.CHART).toFile());
        assertThat(chart.getWidth()).isEqualTo(1200);
        try (Stream<Path> files = Files.list(out)) {
            assertThat(files.map(p -> p.getFileName().toString())).as("no temporary files left")
                    .containsExactlyInAnyOrder(RankCommand.JSON, RankCommand.CHART);
        }

        CliRun table = CliRun.of("rank", "--features", good.toString(), "--labels", y.toString(), "--out",
                tmp.resolve("out2").toString());
        assertThat(table.exitCode()).as(table.err()).isZero();
        assertThat(table.out()).contains("recommended: good.npy").contains("the rule is LogME");
    }

    @Test
    void badFeatureInputIsAUsageErrorInOneLine() throws IOException {
        double[][] f = {{1, 0}, {0, 1}, {1, 0.1}, {0.1, 1}};
        Path npy = writeNpy(tmp.resolve("f.npy"), f, false);
        assertUsageError(List.of("--features", npy.toString(), "--labels",
                writeLabels(tmp.resolve("short.txt"), new int[] {0, 1, 0}).toString()), "has 4 rows but");
        double[][] nan = {{1, 0}, {0, Double.NaN}, {1, 0.1}, {0.1, 1}};
        assertUsageError(List.of("--features", writeNpy(tmp.resolve("nan.npy"), nan, true).toString(), "--labels",
                writeLabels(tmp.resolve("y.txt"), new int[] {0, 1, 0, 1}).toString()), "row 1, column 1 is NaN");
        assertUsageError(List.of("--features", npy.toString(), "--labels",
                writeLabels(tmp.resolve("one.txt"), new int[] {3, 3, 3, 3}).toString()), "all 4 images have label 3");
        assertUsageError(List.of("--features", npy.toString()), "--features needs --labels");
        assertUsageError(List.of(), "give an image folder DATA");
        assertUsageError(List.of(tmp.toString(), "--backbones", "nonet"), "unknown backbone 'nonet'");
    }

    private void assertUsageError(List<String> args, String message) {
        String[] all = Stream.concat(Stream.of("rank", "--out", tmp.resolve("never").toString()), args.stream())
                .toArray(String[]::new);
        CliRun run = CliRun.of(all);
        assertThat(run.exitCode()).as(run.err()).isEqualTo(RankCommand.USAGE);
        assertThat(run.err()).contains(message);
        assertThat(run.err().strip().lines()).as("one line").hasSize(1);
        assertThat(run.hasStackTrace()).isFalse();
        assertThat(tmp.resolve("never")).doesNotExist();
    }

    @Test
    @Tag("shared")
    void ranksMobileNetV2OnATinyFolder() throws IOException {
        Path source = SharedData.dataset("hymenoptera");
        String weights = SharedData.pretrained().toString();
        Path data = tmp.resolve("tiny");
        for (String split : List.of("train", "val")) {
            for (String cls : List.of("ants", "bees")) {
                Path to = Files.createDirectories(data.resolve(split).resolve(cls));
                try (Stream<Path> files = Files.list(source.resolve(split).resolve(cls))) {
                    for (Path f : files.sorted().limit(split.equals("train") ? 8 : 4).toList()) {
                        Files.copy(f, to.resolve(f.getFileName()));
                    }
                }
            }
        }
        Path out = tmp.resolve("rank");
        CliRun run = CliRun.of("rank", data.toString(), "--backbones", "mobilenet_v2", "--weights-dir", weights,
                "--out", out.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("mobilenet_v2").contains("recommended: mobilenet_v2").contains("the rule is LogME");
        JsonNode record = JSON.readTree(out.resolve(RankCommand.JSON).toFile());
        JsonNode row = record.get("backbones").get(0);
        assertThat(row.get("backbone").asText()).isEqualTo("mobilenet_v2");
        assertThat(row.get("images").asInt()).as("train + validation only: the 8 val images are the test split")
                .isEqualTo(16);
        assertThat(row.get("featureWidth").asInt()).isEqualTo(1280);
        assertThat(row.get("imagenetTop1").asDouble()).isPositive();
        assertThat(row.get("knnAccuracy").asDouble()).isBetween(0.0, 1.0);
        assertThat(Double.isFinite(row.get("logMe").asDouble())).isTrue();
        assertThat(row.get("imagesPerSecond").asDouble()).isPositive();
        assertThat(ImageIO.read(out.resolve(RankCommand.CHART).toFile())).isNotNull();
        System.out.println("rank on a tiny hymenoptera copy:\n" + run.out());
    }

    /** A C-order 2-D .npy, float64 or float32, written here so the test needs no NumPy. */
    static Path writeNpy(Path file, double[][] rows, boolean float64) throws IOException {
        int cols = rows[0].length;
        String header = "{'descr': '<" + (float64 ? "f8" : "f4") + "', 'fortran_order': False, 'shape': ("
                + rows.length + ", " + cols + "), }";
        int total = 10 + header.length() + 1;
        header += " ".repeat((64 - total % 64) % 64) + "\n";
        byte[] h = header.getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer buf = ByteBuffer.allocate(10 + h.length + rows.length * cols * (float64 ? 8 : 4))
                .order(ByteOrder.LITTLE_ENDIAN);
        buf.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) h.length).put(h);
        for (double[] row : rows) {
            for (double v : row) {
                if (float64) {
                    buf.putDouble(v);
                } else {
                    buf.putFloat((float) v);
                }
            }
        }
        return Files.write(file, buf.array());
    }

    static Path writeLabels(Path file, int[] labels) throws IOException {
        StringBuilder text = new StringBuilder();
        for (int l : labels) {
            text.append(l).append('\n');
        }
        return Files.writeString(file, text);
    }
}
