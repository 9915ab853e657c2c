package org.transfer4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.transfer4j.SharedData;
import org.transfer4j.TestRequirements;
import org.transfer4j.data.BatchLoader;
import org.transfer4j.unlabeled.Embedder;
import org.transfer4j.unlabeled.EmbeddingFiles;
import org.transfer4j.unlabeled.Embeddings;
import org.transfer4j.unlabeled.TinyFolder;
import org.transfer4j.weights.BackboneLoader;
import org.transfer4j.weights.WeightStore;

/** Issue 15: {@code transfer4j embed} on a tiny folder, read back by NumPy and by the Java API. */
class EmbedCommandTest {

    @TempDir
    Path tmp;

    @Test
    @Tag("shared")
    void embedsATinyFolderThatNumPyReads() throws Exception {
        Path data = TinyFolder.make(tmp.resolve("photos"), 3);
        Path out = tmp.resolve("emb");
        String weights = SharedData.pretrained().toString();
        CliRun run = CliRun.of("embed", data.toString(), "--weights-dir", weights, "--out", out.toString(), "--json");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("\"count\":7").contains("\"width\":1280").contains("\"skipped\":1");
        try (Stream<Path> files = Files.list(out)) {
            assertThat(files.map(p -> p.getFileName().toString())).as("no temporary files left")
                    .containsExactlyInAnyOrder(EmbeddingFiles.NPY, EmbeddingFiles.CSV, EmbeddingFiles.MANIFEST);
        }

        Embeddings api = new Embedder(BackboneLoader.load("mobilenet_v2", null, WeightStore.fromEnvironment(
                Path.of(weights))), SharedData.featureCache(), BatchLoader.Options.defaults().withProgress(false),
                new PrintStream(PrintStream.nullOutputStream())).embed(data);
        assertThat(api.count()).isEqualTo(7);
        assertThat(api.items().get(0).classFolder()).isEqualTo("ants");
        assertThat(api.items().get(6).path()).isEqualTo("loose.jpg");
        assertThat(api.items().get(6).classFolder()).isEmpty();
        assertThat(api.skipped()).singleElement().satisfies(s -> assertThat(s.reason()).contains("not an image"));
        Embeddings read = EmbeddingFiles.read(out);
        assertThat(read.items()).isEqualTo(api.items());
        assertThat(read.vectors()).isDeepEqualTo(api.vectors());
        assertThat(Files.readAllLines(out.resolve(EmbeddingFiles.CSV)).get(1))
                .isEqualTo(api.items().get(0).path() + "," + api.items().get(0).contentHash() + ",ants");

        List<String> numpy = python("import numpy as np, sys\n"
                + "a = np.load(sys.argv[1])\n"
                + "print(a.dtype, a.shape[0], a.shape[1], a.flags['C_CONTIGUOUS'])\n"
                + "print(a[0, 0], a[0, 1279], a[6, 5], a[3, 100])\n", out.resolve(EmbeddingFiles.NPY).toString());
        assertThat(numpy.get(0)).isEqualTo("float32 7 1280 True");
        String[] values = numpy.get(1).split(" ");
        float[][] v = api.vectors();
        assertThat(Float.parseFloat(values[0])).isCloseTo(v[0][0], within(1e-6f));
        assertThat(Float.parseFloat(values[1])).isCloseTo(v[0][1279], within(1e-6f));
        assertThat(Float.parseFloat(values[2])).isCloseTo(v[6][5], within(1e-6f));
        assertThat(Float.parseFloat(values[3])).isCloseTo(v[3][100], within(1e-6f));
    }

    @Test
    void badInputIsOneLine() throws IOException {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        CliRun run = CliRun.of("embed", empty.toString(), "--out", tmp.resolve("o").toString());
        assertThat(run.exitCode()).isEqualTo(Main.FAILED);
        assertThat(run.err()).contains("holds no readable image").contains("empty");
        assertThat(run.err().strip().lines()).hasSize(1);
        assertThat(run.hasStackTrace()).isFalse();

        Files.writeString(empty.resolve("a.jpg"), "text");
        run = CliRun.of("embed", empty.toString(), "--out", tmp.resolve("o").toString());
        assertThat(run.exitCode()).isEqualTo(Main.FAILED);
        assertThat(run.err()).contains("holds no readable image").contains("a.jpg").contains("not an image");
        assertThat(run.hasStackTrace()).isFalse();

        run = CliRun.of("embed", empty.toString());
        assertThat(run.exitCode()).isEqualTo(Main.USAGE);
        assertThat(run.err()).contains("--out");
        run = CliRun.of("embed", empty.toString(), "--out", "x", "--backbone", "nonet");
        assertThat(run.exitCode()).isEqualTo(Main.USAGE);
        assertThat(run.err()).contains("nonet");
        assertThat(tmp.resolve("o")).doesNotExist();
    }

    /** Runs a python3 snippet with Debian's NumPy; skips (fails under CI) without it. */
    static List<String> python(String code, String... args) throws Exception {
        Path python = Path.of(SharedData.python());
        TestRequirements.require(Files.isExecutable(python), python + " (apt-get install python3)");
        Process probe = new ProcessBuilder(python.toString(), "-c", "import numpy").redirectErrorStream(true).start();
        probe.getInputStream().readAllBytes();
        TestRequirements.require(probe.waitFor(60, TimeUnit.SECONDS) && probe.exitValue() == 0,
                "python3-numpy (apt-get install python3-numpy)");
        List<String> command = new ArrayList<>(List.of(python.toString(), "-c", code));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(output).isZero();
        return output.strip().lines().toList();
    }
}
