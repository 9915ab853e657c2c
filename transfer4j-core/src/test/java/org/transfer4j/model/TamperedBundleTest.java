package org.transfer4j.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.transfer4j.SharedData;
import org.transfer4j.Transfer;
import org.transfer4j.data.SyntheticImages;

/** A tampered or truncated bundle is refused on load with a message naming the file and the fault. */
class TamperedBundleTest {

    @TempDir
    static Path tmp;

    static Path good;

    @BeforeAll
    static void trainOnce() throws IOException {
        Path data = tmp.resolve("data");
        SyntheticImages.write(data, 2, 10, 64, 1);
        good = tmp.resolve("good");
        try (ImageClassifier model = Transfer.from(data).weightsDir(SharedData.pretrained()).epochs(1)
                .cacheDir(tmp.resolve("cache")).progress(false).train()) {
            model.save(good);
        }
    }

    @Test
    void theUntouchedBundleLoads() {
        try (ImageClassifier model = ImageClassifier.load(good)) {
            assertThat(model.classes()).hasSize(2);
        }
    }

    @Test
    void aBundleLeftAsideByAKilledReplaceIsRestoredOnLoad() throws IOException {
        Path b = copy("interrupted");
        // what a kill between ModelBundle.replace's two renames leaves: the old bundle aside, none in place
        Path aside = tmp.resolve(".interrupted.old-" + System.nanoTime());
        Files.move(b, aside);
        try (ImageClassifier model = ImageClassifier.load(b)) {
            assertThat(model.classes()).hasSize(2);
        }
        assertThat(b.resolve(ModelBundle.MANIFEST)).isRegularFile();
        assertThat(aside).doesNotExist();
    }

    @Test
    void truncatedOnnxIsRefused() throws IOException {
        Path b = copy("truncated-onnx");
        byte[] onnx = Files.readAllBytes(b.resolve(ModelBundle.ONNX));
        Files.write(b.resolve(ModelBundle.ONNX), Arrays.copyOf(onnx, onnx.length / 3));
        assertRefused(b, "model.onnx");
    }

    @Test
    void emptyOnnxIsRefused() throws IOException {
        Path b = copy("empty-onnx");
        Files.write(b.resolve(ModelBundle.ONNX), new byte[0]);
        assertRefused(b, "model.onnx");
    }

    @Test
    void garbageJsonIsRefused() throws IOException {
        Path b = copy("garbage");
        Files.writeString(b.resolve(ModelBundle.MANIFEST), "{\"formatVersion\": 1, \"classes\": [\"a\", \"b\"");
        assertRefused(b, "damaged manifest");
    }

    @Test
    void truncatedManifestIsRefused() throws IOException {
        Path b = copy("truncated-manifest");
        byte[] m = Files.readAllBytes(b.resolve(ModelBundle.MANIFEST));
        Files.write(b.resolve(ModelBundle.MANIFEST), Arrays.copyOf(m, m.length / 2));
        assertRefused(b, "damaged manifest");
    }

    @Test
    void wrongClassCountIsRefused() throws IOException {
        Path b = edit("three-classes", s -> s.replaceFirst("\"classes\" : \\[", "\"classes\" : [ \"extra\","));
        assertRefused(b, "class");
    }

    @Test
    void classesAndOnnxOutputsMustAgree() throws IOException {
        // manifest consistent with itself (3 classes, head of 3) but the ONNX model still has 2 outputs
        Path b = edit("head-and-classes", s -> s.replaceFirst("\"classes\" : \\[", "\"classes\" : [ \"extra\",")
                .replaceFirst("\"numClasses\" : 2", "\"numClasses\" : 3"));
        assertRefused(b, "2 outputs");
    }

    @Test
    void duplicateClassNamesAreRefused() throws IOException {
        Path b = edit("duplicate-classes", s -> s.replaceFirst("\"class1\"", "\"class0\""));
        assertRefused(b, "class0");
    }

    @Test
    void futureFormatVersionIsRefused() throws IOException {
        Path b = edit("future", s -> s.replaceFirst("\"formatVersion\" : 2", "\"formatVersion\" : 99"));
        assertRefused(b, "format 99");
    }

    @Test
    void featureWidthMismatchIsRefused() throws IOException {
        Path b = edit("width", s -> s.replaceFirst("\"inputWidth\" : 1280", "\"inputWidth\" : 1024"));
        assertRefused(b, "1024");
    }

    @Test
    void badPreprocessingIsRefused() throws IOException {
        Path b = edit("crop", s -> s.replaceFirst("\"crop\" : 224", "\"crop\" : 0"));
        assertRefused(b, "crop");
    }

    private static void assertRefused(Path bundle, String expected) {
        assertThatThrownBy(() -> ImageClassifier.load(bundle).close()).isInstanceOf(ModelException.class)
                .hasMessageContaining(bundle.toString()).hasMessageContaining(expected)
                .satisfies(e -> System.out.println(bundle.getFileName() + ": " + e.getMessage()));
    }

    private static Path edit(String name, UnaryOperator<String> change) throws IOException {
        Path b = copy(name);
        String before = Files.readString(b.resolve(ModelBundle.MANIFEST), StandardCharsets.UTF_8);
        String after = change.apply(before);
        assertThat(after).as("the edit applies").isNotEqualTo(before);
        Files.writeString(b.resolve(ModelBundle.MANIFEST), after, StandardCharsets.UTF_8);
        return b;
    }

    private static Path copy(String name) throws IOException {
        Path dst = tmp.resolve(name);
        try (Stream<Path> walk = Files.walk(good)) {
            for (Path p : walk.sorted(Comparator.naturalOrder()).toList()) {
                Path t = dst.resolve(good.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t);
                }
            }
        }
        return dst;
    }
}
