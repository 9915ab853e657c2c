package org.transfer4j.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TfliteReaderTest {

    /** An input, a uint8 conv (weights [2,1,1,3], int32 bias) with stride 2 and RELU6, its output. */
    static byte[] oneConvModel() {
        TfliteModelBuilder b = new TfliteModelBuilder();
        int in = b.tensor("image", new int[] {1, 4, 4, 3}, TfliteTensor.FLOAT32, null, null, null, 0);
        byte[] w = {(byte) 128, (byte) 129, (byte) 130, 127, 126, (byte) 200};
        int weights = b.tensor("conv/weights", new int[] {2, 1, 1, 3}, TfliteTensor.UINT8, w,
                new float[] {0.5f}, new long[] {128}, 0);
        int bias = b.tensor("conv/bias", new int[] {2}, TfliteTensor.INT32, TfliteModelBuilder.le(4, -8),
                new float[] {0.25f}, new long[] {0}, 0);
        int out = b.tensor("conv/out", new int[] {1, 2, 2, 2}, TfliteTensor.FLOAT32, null, null, null, 0);
        b.conv(TfliteOperator.CONV_2D, new int[] {in, weights, bias}, out, 2, TfliteOperator.RELU6);
        return b.build(new int[] {in}, new int[] {out});
    }

    private static TfliteModel read(byte[] bytes) {
        return TfliteReader.read(ByteBuffer.wrap(bytes), "test.tflite");
    }

    @Test
    void readsTensorsOperatorsAndTheirOptions() {
        TfliteModel m = read(oneConvModel());
        assertThat(m.version()).isEqualTo(3);
        assertThat(m.tensors()).extracting(TfliteTensor::name)
                .containsExactly("image", "conv/weights", "conv/bias", "conv/out");
        assertThat(m.inputs()).containsExactly(0);
        assertThat(m.outputs()).containsExactly(3);
        TfliteOperator op = m.operators().get(0);
        assertThat(op.name()).isEqualTo("CONV_2D");
        assertThat(op.inputs()).containsExactly(0, 1, 2);
        assertThat(op.strideH()).isEqualTo(2);
        assertThat(op.strideW()).isEqualTo(2);
        assertThat(op.padding()).isEqualTo(TfliteOperator.SAME);
        assertThat(op.activation()).isEqualTo(TfliteOperator.RELU6);
        assertThat(m.tensor(0).isConstant()).isFalse();
        assertThat(m.producerOf(3)).isSameAs(op);
        assertThat(m.producerOf(1)).isNull();
    }

    @Test
    void constantsDequantizeFromTheFileBytes() {
        TfliteModel m = read(oneConvModel());
        assertThat(m.tensor(1).shape()).containsExactly(2, 1, 1, 3);
        assertThat(m.tensor(1).dequantize("t").data()).containsExactly(0f, 0.5f, 1f, -0.5f, -1f, 36f);
        assertThat(m.tensor(2).dequantize("t").data()).containsExactly(1f, -2f);
    }

    @Test
    void aWrongIdentifierIsRejectedInOneLineNamingTheFile(@TempDir Path dir) throws IOException {
        byte[] bytes = oneConvModel();
        bytes[4] = 'X';
        Path file = dir.resolve("model.tflite");
        Files.write(file, bytes);
        assertThatThrownBy(() -> TfliteReader.read(file))
                .isInstanceOf(WeightsException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("'XFL3'").hasMessageContaining("TFL3")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void everyTruncationIsAWeightsException() {
        byte[] bytes = oneConvModel();
        for (int length = 0; length < bytes.length; length++) {
            byte[] cut = Arrays.copyOf(bytes, length);
            assertThatThrownBy(() -> read(cut)).as("cut at " + length)
                    .isInstanceOf(WeightsException.class).hasMessageStartingWith("test.tflite: ")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        }
    }

    @Test
    void offsetsOutsideTheFileAreWeightsExceptions() {
        byte[] bytes = oneConvModel();
        ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(0, 1 << 30);
        assertThatThrownBy(() -> read(bytes)).isInstanceOf(WeightsException.class)
                .hasMessageContaining("test.tflite").hasMessageContaining("outside the " + bytes.length + "-byte file");
    }

    @Test
    void operatorsReferringToMissingTensorsAreRejected() {
        TfliteModelBuilder b = new TfliteModelBuilder();
        int in = b.tensor("in", new int[] {1, 4, 4, 3}, TfliteTensor.FLOAT32, null, null, null, 0);
        b.conv(TfliteOperator.CONV_2D, new int[] {in, 7}, in, 1, TfliteOperator.NONE);
        assertThatThrownBy(() -> read(b.build(new int[] {in}, new int[] {in})))
                .isInstanceOf(WeightsException.class).hasMessageContaining("operator 0 input refers to tensor 7");
    }

    @Test
    void aMissingFileIsNamed(@TempDir Path dir) {
        Path file = dir.resolve("absent.tflite");
        assertThatThrownBy(() -> TfliteReader.read(file)).isInstanceOf(WeightsException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("no such file");
    }
}
