package org.transfer4j.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.transfer4j.weights.ZipFixtures.failureOf;
import static org.transfer4j.weights.ZipFixtures.zip;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.transfer4j.SharedData;
import org.transfer4j.arch.Architectures;

/**
 * {@link TorchScriptReader} on torchvision's quantized MobileNetV2 ({@code mobilenet_quantized.pt}),
 * checked against the float state dict that PyTorch itself made from the same archive
 * ({@code torchvision-format/}, see its README): same weights, bias for bias.
 */
class TorchScriptReaderTest {

    private static final String FILE = "pytorch-mobilenet_v2-quantized/mobilenet_quantized.pt";
    private static final String FLOAT = "torchvision-format/mobilenet_v2_from_qnnpack_float.pth";

    private static List<QuantizedLayer> layers;

    @TempDir
    Path tmp;

    @BeforeAll
    static void readOnce() {
        if (java.nio.file.Files.isRegularFile(SharedData.root().resolve("pretrained").resolve(FILE))) {
            layers = TorchScriptReader.readQuantized(SharedData.root().resolve("pretrained").resolve(FILE));
        }
    }

    private static List<QuantizedLayer> layers() {
        SharedData.pretrained();
        return layers;
    }

    @Test
    @Tag("shared")
    void unpacksEveryConvAndTheClassifierWithTheirQuantization() {
        List<QuantizedLayer> all = layers();
        assertThat(all).hasSize(53);
        assertThat(all.stream().filter(l -> l.kind() == QuantizedLayer.Kind.CONV2D)).hasSize(52);
        QuantizedLayer classifier = all.get(0);
        assertThat(classifier.module()).isEqualTo("classifier.1");
        assertThat(classifier.kind()).isEqualTo(QuantizedLayer.Kind.LINEAR);
        assertThat(classifier.weight().shape()).containsExactly(1000, 1280);
        assertThat(classifier.weight().perChannel()).isFalse();
        assertThat(classifier.weight().scales()[0]).isEqualTo(0.0025947564281523228);
        assertThat(classifier.weight().zeroPoints()).containsExactly(0);
        assertThat(classifier.bias().shape()).containsExactly(1000);
        assertThat(all.get(1).module()).isEqualTo("features.0.0");
        assertThat(all.get(1).weight().scales()[0]).isEqualTo(0.002889582421630621);
        assertThat(all.get(1).stride()).containsExactly(2, 2);
        assertThat(all.get(1).padding()).containsExactly(1, 1);
        QuantizedLayer depthwise = byName("features.2.conv.1.0");
        assertThat(depthwise.groups()).isEqualTo(96);
        assertThat(depthwise.stride()).containsExactly(2, 2);
        assertThat(depthwise.dilation()).containsExactly(1, 1);
        assertThat(depthwise.weight().shape()).containsExactly(96, 1, 3, 3);
        assertThat(byName("features.1.conv.1").groups()).isEqualTo(1);
        assertThat(byName("features.18.0").weight().shape()).containsExactly(1280, 320, 1, 1);
        int min = 0;
        int max = 0;
        for (byte v : classifier.weight().values()) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        assertThat(min).as("int8 weights use the negative range").isLessThan(-50);
        assertThat(max).isGreaterThan(50);
    }

    @Test
    @Tag("shared")
    void dequantisedWeightsEqualPyTorchsAndFitTheFoldedMobileNetV2() {
        Path file = SharedData.pretrained().resolve(FILE);
        Weights ours = TorchScriptReader.read(file);
        ours.checkAgainst(Architectures.build("mobilenet_v2_folded"), file.toString());
        Weights torch = PthReader.read(SharedData.pretrained().resolve(FLOAT));
        int compared = 0;
        for (QuantizedLayer layer : layers()) {
            String conv = layer.module();
            float[] w = ours.get(conv + ".weight").data();
            float[] expected = torch.get(conv + ".weight").data();
            assertThat(w).as(conv).hasSameSizeAs(expected);
            for (int i = 0; i < w.length; i++) {
                assertThat(w[i]).as(conv + "[" + i + "]").isCloseTo(expected[i], within(1e-7f));
            }
            String bias = layer.kind() == QuantizedLayer.Kind.LINEAR ? conv + ".bias" : batchNormOf(conv) + ".bias";
            assertThat(ours.get(conv + ".bias").data()).as(bias).containsExactly(torch.get(bias).data());
            compared++;
        }
        assertThat(compared).isEqualTo(53);
    }

    @Test
    void dequantisesPerChannelAlongItsAxis() {
        QuantizedTensor q = new QuantizedTensor(new long[] {2, 1, 1, 3}, new byte[] {-128, 0, 127, 10, 20, 30},
                new double[] {0.5, 0.25}, new long[] {0, 10}, 0);
        assertThat(q.perChannel()).isTrue();
        assertThat(q.dequantize().data()).containsExactly(-64f, 0f, 63.5f, 0f, 2.5f, 5f);
        QuantizedTensor depthwise = new QuantizedTensor(new long[] {1, 2, 2}, new byte[] {2, 2, 2, 2},
                new double[] {1, 3}, new long[] {0, 1}, 2);
        assertThat(depthwise.dequantize().data()).containsExactly(2f, 3f, 2f, 3f);
        QuantizedTensor perTensor = new QuantizedTensor(new long[] {3}, new byte[] {-1, 0, 1},
                new double[] {0.1}, new long[] {-1}, -1);
        assertThat(perTensor.dequantize().data()).containsExactly(0f, 0.1f, 0.2f);
    }

    @Test
    void refusesAnyOtherGlobalWithoutRunningIt() {
        Path marker = tmp.resolve("pwned");
        ByteArrayOutputStream pickle = new ByteArrayOutputStream();
        pickle.writeBytes(new byte[] {(byte) 0x80, 2});
        pickle.writeBytes(("cposix\nsystem\n(S'touch " + marker + "'\ntR.").getBytes(StandardCharsets.US_ASCII));
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("model/data.pkl", pickle.toByteArray());
        entries.put("model/constants.pkl", new byte[] {(byte) 0x80, 2, ')', '.'});
        entries.put("model/code/__torch__.py", "def forward(self): pass\n".getBytes(StandardCharsets.US_ASCII));
        Path evil = zip(tmp.resolve("evil.pt"), entries);
        assertThat(failureOf(() -> TorchScriptReader.read(evil), evil)).contains("forbidden global 'posix.system'");
        assertThat(failureOf(() -> WeightFiles.read(evil), evil)).contains("forbidden global 'posix.system'");
        assertThat(marker).doesNotExist();

        ByteArrayOutputStream module = new ByteArrayOutputStream();
        module.writeBytes(new byte[] {(byte) 0x80, 2});
        module.writeBytes("c__torch__.some.OtherModule\nEvil\n)\u0081.".getBytes(StandardCharsets.ISO_8859_1));
        entries.put("model/data.pkl", module.toByteArray());
        Path other = zip(tmp.resolve("other.pt"), entries);
        assertThat(failureOf(() -> TorchScriptReader.read(other), other))
                .contains("forbidden global '__torch__.some.OtherModule.Evil'");
    }

    @Test
    void saysWhenAnArchiveIsNotTorchScript() {
        Path plain = zip(tmp.resolve("plain.pth"), Map.of("archive/data.pkl", new byte[] {(byte) 0x80, 2, '}', '.'}));
        assertThat(failureOf(() -> TorchScriptReader.read(plain), plain)).contains("not TorchScript");
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("m/data.pkl", new byte[] {(byte) 0x80, 2, '}', '.'});
        entries.put("m/constants.pkl", new byte[] {(byte) 0x80, 2, ')', '.'});
        Path empty = zip(tmp.resolve("empty.pt"), entries);
        assertThat(failureOf(() -> TorchScriptReader.read(empty), empty)).contains("no quantized conv or linear layer");
    }

    /** torchvision's batch-norm after a conv: {@code X.0} then {@code X.1}; a bare conv {@code conv.k} then {@code conv.k+1}. */
    private static String batchNormOf(String conv) {
        int dot = conv.lastIndexOf('.');
        return conv.substring(0, dot) + "." + (Integer.parseInt(conv.substring(dot + 1)) + 1);
    }

    private static QuantizedLayer byName(String module) {
        return layers().stream().filter(l -> l.module().equals(module)).findFirst().orElseThrow();
    }
}
