package org.transfer4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.transfer4j.SharedData;
import org.transfer4j.model.Manifest;
import org.transfer4j.model.ModelBundle;
import org.transfer4j.unlabeled.EmbeddingFiles;
import org.transfer4j.unlabeled.Embeddings;

/**
 * Issue 16 on the command line: {@code train --unlabeled --semi} on a small hymenoptera copy with an
 * unlabeled folder, {@code suggest} on the model, and the bad inputs (a folder without a readable image,
 * a folder of copies of labelled images, an index of another backbone): one line, exit 2, nothing written.
 */
@Tag("shared")
class SemiCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    /** 12 more hymenoptera training images per class (after the small copy's 10), nested, plus 2 copies of labelled ones and a text file. */
    private Path unlabeled(Path data) throws IOException {
        Path dir = tmp.resolve("unlabeled");
        for (String cls : SmallHymenoptera.CLASSES) {
            Path to = Files.createDirectories(dir.resolve("batch-" + cls).resolve("inner"));
            try (Stream<Path> files = Files.list(SharedData.dataset("hymenoptera").resolve("train").resolve(cls))) {
                for (Path f : files.filter(p -> p.toString().endsWith(".jpg")).sorted()
                        .skip(SmallHymenoptera.TRAIN_PER_CLASS).limit(12).toList()) {
                    Files.copy(f, to.resolve(f.getFileName()));
                }
            }
        }
        try (Stream<Path> files = Files.list(data.resolve("train").resolve("ants"))) {
            List<Path> labelled = files.sorted().limit(2).toList();
            for (Path f : labelled) {
                Files.copy(f, dir.resolve("copy-of-" + f.getFileName()));
            }
        }
        Files.writeString(dir.resolve("notes.txt"), "not an image\n");
        return dir;
    }

    @Test
    void trainsWithUnlabeledImagesAndSuggestsWhatToLabel() throws IOException {
        Path data = SmallHymenoptera.data(tmp);
        Path unlabeled = unlabeled(data);
        String weights = SharedData.pretrained().toString();
        for (String method : List.of("spread", "pseudo")) {
            Path bundle = tmp.resolve("model-" + method);
            CliRun run = CliRun.of("train", data.toString(), "--weights-dir", weights, "--epochs", "3", "--unlabeled",
                    unlabeled.toString(), "--semi", method, "--out", bundle.toString());
            assertThat(run.exitCode()).as(run.err()).isZero();
            assertThat(run.err()).contains("2 of 26 images have the same content as labelled images")
                    .contains("semi-supervised (" + method + ")");
            Manifest m = ModelBundle.readManifest(bundle);
            assertThat(m.semi().method()).isEqualTo(method);
            assertThat(m.semi().images()).isEqualTo(24);
            assertThat(m.semi().excluded()).isEqualTo(2);
            assertThat(m.semi().fingerprint()).hasSize(64);
            assertThat(m.semi().labelCounts()).containsOnlyKeys("ants", "bees");
            assertThat(m.semi().choice()).contains("validation accuracy");
            assertThat(Files.readString(bundle.resolve("report.html"))).contains("unlabeled images")
                    .contains(m.semi().fingerprint());
            assertThat(Files.readString(bundle.resolve("MODEL_CARD.md"))).contains("Unlabeled images also trained the head");
        }
        Path bundle = tmp.resolve("model-spread");

        Path out = tmp.resolve("suggestions");
        Path toLabel = tmp.resolve("to-label");
        CliRun suggest = CliRun.of("suggest", bundle.toString(), unlabeled.toString(), "--n", "5", "--out", out.toString(),
                "--copy-to", toLabel.toString(), "--json");
        assertThat(suggest.exitCode()).as(suggest.err()).isZero();
        JsonNode r = JSON.readTree(suggest.out().strip());
        assertThat(r.get("suggestions")).hasSize(5);
        List<String> csv = Files.readAllLines(out.resolve(SuggestCommand.CSV));
        assertThat(csv).hasSize(6);
        assertThat(csv.get(0)).isEqualTo("rank,path,predicted,probability,margin,distance,score");
        assertThat(csv.get(1)).startsWith("1,").matches(".*,(ants|bees),.*");
        assertThat(ImageIO.read(out.resolve(SuggestCommand.SHEET).toFile())).isNotNull();
        try (Stream<Path> laid = Files.list(toLabel)) {
            assertThat(laid.map(p -> p.getFileName().toString()).sorted().toList()).hasSize(5)
                    .first().asString().startsWith("001__");
        }
        // the same suggestions from an index of the same backbone (the features are reused)
        Path index = tmp.resolve("index");
        CliRun embed = CliRun.of("embed", unlabeled.toString(), "--weights-dir", weights, "--out", index.toString());
        assertThat(embed.exitCode()).as(embed.err()).isZero();
        CliRun fromIndex = CliRun.of("suggest", bundle.toString(), index.toString(), "--n", "5", "--out",
                tmp.resolve("s2").toString());
        assertThat(fromIndex.exitCode()).as(fromIndex.err()).isZero();
        List<String> again = Files.readAllLines(tmp.resolve("s2").resolve(SuggestCommand.CSV));
        for (int i = 1; i < 6; i++) {
            assertThat(again.get(i).split(",")[1]).isEqualTo(csv.get(i).split(",")[1]);
        }

        // an index of another backbone: exit 2, nothing written
        Embeddings e = EmbeddingFiles.read(index);
        Path other = tmp.resolve("other-index");
        EmbeddingFiles.write(new Embeddings(e.root(), e.items(), e.vectors(), "resnet18", "0".repeat(64),
                e.preprocessing(), e.skipped()), other);
        Path notWritten = tmp.resolve("not-written");
        CliRun bad = CliRun.of("suggest", bundle.toString(), other.toString(), "--out", notWritten.toString(),
                "--copy-to", tmp.resolve("not-copied").toString());
        assertThat(bad.exitCode()).isEqualTo(Main.USAGE);
        assertThat(bad.err()).contains("holds features of resnet18 (weights 000000000000), but the model's backbone is");
        assertThat(bad.err().strip().lines()).hasSize(1);
        assertThat(bad.hasStackTrace()).isFalse();
        assertThat(notWritten).doesNotExist();
        assertThat(tmp.resolve("not-copied")).doesNotExist();

        // a model whose batch-norm statistics were re-estimated (--adapt-bn) cannot read an index of the file's
        Path adapted = tmp.resolve("model-adapted");
        Files.createDirectories(adapted);
        try (Stream<Path> files = Files.list(bundle)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Files.copy(f, adapted.resolve(f.getFileName()));
            }
        }
        Manifest m = ModelBundle.readManifest(adapted);
        Manifest.BackboneInfo b = m.backbone();
        Manifest withAdapted = new Manifest(m.formatVersion(), m.classes(), new Manifest.BackboneInfo(b.name(),
                b.weightSet(), b.architecture(), b.weightsFile(), b.weightsSha256(), b.featureWidth(), b.precision(),
                b.calibration(), new Manifest.AdaptedBatchNorm(40, 32, 42, "ab".repeat(32))), m.preprocessing(),
                m.head(), m.training(), m.run(), m.provenance(), m.unknown(), m.semi());
        Files.writeString(adapted.resolve(ModelBundle.MANIFEST), ModelBundle.json().writeValueAsString(withAdapted));
        CliRun refused = CliRun.of("suggest", adapted.toString(), index.toString(), "--out", notWritten.toString());
        assertThat(refused.exitCode()).as(refused.err()).isEqualTo(Main.USAGE);
        assertThat(refused.err()).contains("re-estimated its backbone's batch-norm statistics (--adapt-bn)");
        assertThat(refused.err().strip().lines()).hasSize(1);
        assertThat(refused.hasStackTrace()).isFalse();
        assertThat(notWritten).doesNotExist();
    }

    @Test
    void badUnlabeledFoldersAreUsageErrorsAndWriteNothing() throws IOException {
        Path data = SmallHymenoptera.data(tmp);
        String weights = SharedData.pretrained().toString();
        Path unreadable = Files.createDirectories(tmp.resolve("unreadable"));
        Files.writeString(unreadable.resolve("notes.txt"), "no image here\n");
        byte[] jpeg = Files.readAllBytes(Files.list(data.resolve("train").resolve("bees")).sorted().findFirst().orElseThrow());
        Files.write(unreadable.resolve("truncated.jpg"), java.util.Arrays.copyOf(jpeg, 200));
        Path copies = Files.createDirectories(tmp.resolve("copies"));
        List<Path> labelled = new ArrayList<>();
        try (Stream<Path> files = Files.list(data.resolve("val").resolve("ants"))) {
            labelled.addAll(files.sorted().toList());
        }
        for (Path f : labelled) {
            Files.copy(f, copies.resolve(f.getFileName()));
        }
        for (Path folder : List.of(unreadable, copies, tmp.resolve("missing"))) {
            Path out = tmp.resolve("out-" + folder.getFileName());
            CliRun run = CliRun.of("train", data.toString(), "--weights-dir", weights, "--epochs", "1", "--unlabeled",
                    folder.toString(), "--out", out.toString());
            assertThat(run.exitCode()).as(run.err()).isEqualTo(Main.USAGE);
            assertThat(run.hasStackTrace()).isFalse();
            assertThat(out).doesNotExist();
            String last = run.err().strip().lines().reduce((a, b) -> b).orElseThrow();
            assertThat(last).startsWith("transfer4j: --unlabeled").contains(folder.getFileName().toString());
        }
        CliRun finetune = CliRun.of("train", data.toString(), "--unlabeled", copies.toString(), "--mode", "finetune");
        assertThat(finetune.exitCode()).isEqualTo(Main.USAGE);
        assertThat(finetune.err()).contains("needs --mode frozen and --augment none");
        CliRun semi = CliRun.of("train", data.toString(), "--unlabeled", copies.toString(), "--semi", "magic");
        assertThat(semi.exitCode()).isEqualTo(Main.USAGE);
        assertThat(semi.err()).contains("--semi must be spread, pseudo or none, got 'magic'");
    }
}
