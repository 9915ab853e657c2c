package org.transfer4j.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.transfer4j.arch.ConvStyle;
import org.transfer4j.arch.Graph;
import org.transfer4j.arch.MobileNetV1;
import org.transfer4j.arch.MobileNetV2;

/**
 * Keras MobileNet files written at test time ({@link KerasFixtures}) mapped onto
 * {@code MobileNetV1} in Keras style: each element lands where Keras's layout says, and files that do
 * not fit fail with one line naming the file.
 */
class KerasImportTest {

    private static final int CLASSES = 10;

    @TempDir
    Path dir;

    private static Graph graph(double alpha, int size) {
        return MobileNetV1.build("keras_fixture", ConvStyle.KERAS, alpha, size, CLASSES);
    }

    @Test
    void wholeModelFilePutsEveryElementInPlace() {
        KerasFixtures.Written file = KerasFixtures.mobileNet(dir.resolve("m.h5"), KerasFixtures.Spec.mobileNet(0.25, 32));
        Graph graph = graph(0.25, 32);
        Weights w = KerasImport.load(file.file(), graph);

        assertThat(w.size()).isEqualTo(graph.parameters().size());
        assertConv(w.get("conv_stem.weight"), (float[][][][]) file.weights().get("conv1").get("kernel"));
        assertConv(w.get("blocks.3.5.conv_pw.weight"), (float[][][][]) file.weights().get("conv_pw_11").get("kernel"));
        assertDepthwise(w.get("blocks.1.0.conv_dw.weight"),
                (float[][][][]) file.weights().get("conv_dw_2").get("depthwise_kernel"));
        Map<String, Object> bn = file.weights().get("conv_pw_11_bn");
        assertThat(w.get("blocks.3.5.bn2.weight").data()).containsExactly((float[]) bn.get("gamma"));
        assertThat(w.get("blocks.3.5.bn2.bias").data()).containsExactly((float[]) bn.get("beta"));
        assertThat(w.get("blocks.3.5.bn2.running_mean").data()).containsExactly((float[]) bn.get("moving_mean"));
        assertThat(w.get("blocks.3.5.bn2.running_var").data()).containsExactly((float[]) bn.get("moving_variance"));

        float[][][][] preds = (float[][][][]) file.weights().get("conv_preds").get("kernel");
        Tensor classifier = w.get("classifier.weight");
        assertThat(classifier.shape()).containsExactly(CLASSES, 256);
        for (int o = 0; o < CLASSES; o++) {
            for (int i = 0; i < 256; i++) {
                assertThat(classifier.data()[o * 256 + i]).isEqualTo(preds[0][0][i][o]);
            }
        }
        assertThat(w.get("classifier.bias").data()).containsExactly((float[]) file.weights().get("conv_preds").get("bias"));
    }

    @Test
    void weightsOnlyFileGivesTheSameTensors() {
        Path whole = KerasFixtures.mobileNet(dir.resolve("whole.h5"), KerasFixtures.Spec.mobileNet(0.25, 32)).file();
        Path bare = KerasFixtures.mobileNet(dir.resolve("bare.h5"),
                KerasFixtures.Spec.mobileNet(0.25, 32).weightsOnly()).file();
        Weights a = KerasImport.load(whole, graph(0.25, 32));
        Weights b = KerasImport.load(bare, graph(0.25, 32));
        assertThat(KerasH5Reader.read(bare).hasConfig()).isFalse();
        assertThat(b.asMap().keySet()).containsExactlyElementsOf(a.asMap().keySet());
        a.asMap().forEach((k, t) -> assertThat(b.get(k).data()).as(k).containsExactly(t.data()));
    }

    @Test
    void wideFileOnANarrowGraphFails() {
        Path file = KerasFixtures.mobileNet(dir.resolve("alpha05.h5"), KerasFixtures.Spec.mobileNet(0.5, 32)).file();
        assertOneLineFailure(() -> KerasImport.load(file, graph(0.25, 32)), file, "layer 'conv1' (Conv2D)", "[16, 3, 3, 3]");
    }

    @Test
    void otherInputSizeFails() {
        Path file = KerasFixtures.mobileNet(dir.resolve("s64.h5"), KerasFixtures.Spec.mobileNet(0.25, 64)).file();
        assertOneLineFailure(() -> KerasImport.load(file, graph(0.25, 32)), file, "takes input [null,64,64,3]");
    }

    @Test
    void otherArchitectureFailsOnTheLayerCount() {
        Path file = KerasFixtures.mobileNet(dir.resolve("m224.h5"), KerasFixtures.Spec.mobileNet(0.25, 224)).file();
        assertOneLineFailure(() -> KerasImport.load(file, MobileNetV2.torchvision()), file,
                "has 55 layers with weights", "pick the architecture");
    }

    @Test
    void symmetricZeroPaddingIsNotTheGraphsPadding() {
        Path file = KerasFixtures.mobileNet(dir.resolve("pad.h5"),
                KerasFixtures.Spec.mobileNet(0.25, 32).padding(new int[][] {{1, 1}, {1, 1}})).file();
        assertOneLineFailure(() -> KerasImport.load(file, graph(0.25, 32)), file, "layer 'conv_dw_2'",
                "padding (top, left, bottom, right) [1, 1, 1, 1] in the file, [0, 0, 1, 1] in the graph");
    }

    @Test
    void torchvisionStyleGraphIsRefused() {
        Path file = KerasFixtures.mobileNet(dir.resolve("m.h5"), KerasFixtures.Spec.mobileNet(0.25, 32)).file();
        Graph torchStyle = MobileNetV1.build("torch_style", ConvStyle.TORCHVISION, 0.25, 32, CLASSES);
        assertOneLineFailure(() -> KerasImport.load(file, torchStyle), file, "layer 'conv1'", "padding");
    }

    @Test
    void otherBatchNormEpsilonIsRefused() {
        Path file = KerasFixtures.mobileNet(dir.resolve("eps.h5"),
                KerasFixtures.Spec.mobileNet(0.25, 32).epsilon(1e-5)).file();
        assertOneLineFailure(() -> KerasImport.load(file, graph(0.25, 32)), file, "layer 'conv1_bn'",
                "epsilon 1.0E-5 in the file");
    }

    @Test
    void truncatedFileFails() throws IOException {
        Path whole = KerasFixtures.mobileNet(dir.resolve("whole.h5"), KerasFixtures.Spec.mobileNet(0.25, 32)).file();
        byte[] bytes = Files.readAllBytes(whole);
        for (int keep : new int[] {20, 100, bytes.length / 2, bytes.length - 1}) {
            Path cut = Files.write(dir.resolve("cut" + keep + ".h5"), Arrays.copyOf(bytes, keep));
            assertOneLineFailure(() -> KerasImport.load(cut, graph(0.25, 32)), cut, "truncated");
        }
    }

    @Test
    void nonHdf5AndNonKerasFilesFail() throws IOException {
        Path text = Files.writeString(dir.resolve("notes.h5"), "not a model");
        assertOneLineFailure(() -> KerasH5Reader.read(text), text, "not an HDF5 file");
        Path plain = dir.resolve("plain.h5");
        try (WritableHdfFile h5 = HdfFile.write(plain)) {
            h5.putDataset("x", new float[] {1f, 2f});
        }
        assertOneLineFailure(() -> KerasH5Reader.read(plain), plain, "not a Keras model or weights file");
        assertOneLineFailure(() -> KerasH5Reader.read(dir.resolve("absent.h5")), dir.resolve("absent.h5"));
    }

    @Test
    void weightNamesOfKeras2And3() {
        assertThat(KerasH5Reader.shortName("conv1/kernel:0")).isEqualTo("kernel");
        assertThat(KerasH5Reader.shortName("conv_dw_1_bn/moving_variance")).isEqualTo("moving_variance");
    }

    private static void assertConv(Tensor ours, float[][][][] keras) {
        int kh = keras.length;
        int kw = keras[0].length;
        int in = keras[0][0].length;
        int out = keras[0][0][0].length;
        assertThat(ours.shape()).containsExactly(out, in, kh, kw);
        for (int o = 0; o < out; o++) {
            for (int i = 0; i < in; i++) {
                for (int y = 0; y < kh; y++) {
                    for (int x = 0; x < kw; x++) {
                        assertThat(ours.data()[((o * in + i) * kh + y) * kw + x]).isEqualTo(keras[y][x][i][o]);
                    }
                }
            }
        }
    }

    private static void assertDepthwise(Tensor ours, float[][][][] keras) {
        int kh = keras.length;
        int kw = keras[0].length;
        int channels = keras[0][0].length;
        assertThat(ours.shape()).containsExactly(channels, 1, kh, kw);
        for (int c = 0; c < channels; c++) {
            for (int y = 0; y < kh; y++) {
                for (int x = 0; x < kw; x++) {
                    assertThat(ours.data()[(c * kh + y) * kw + x]).isEqualTo(keras[y][x][c][0]);
                }
            }
        }
    }

    static void assertOneLineFailure(Runnable call, Path file, String... fragments) {
        assertThatThrownBy(call::run).isInstanceOf(WeightsException.class).satisfies(e -> {
            assertThat(e.getMessage()).contains(file.toString()).doesNotContain("\n");
            for (String f : fragments) {
                assertThat(e.getMessage()).contains(f);
            }
        });
    }
}
