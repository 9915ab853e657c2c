package org.transfer4j.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class TfliteTensorTest {

    private static TfliteTensor tensor(int[] shape, int type, byte[] data, float[] scales, long[] zeros, int axis) {
        return new TfliteTensor("t", shape, type, ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN),
                scales, zeros, axis);
    }

    @Test
    void uint8PerTensorSubtractsTheZeroPoint() {
        byte[] q = {(byte) 128, (byte) 130, 0, (byte) 255};
        Tensor t = tensor(new int[] {4}, TfliteTensor.UINT8, q, new float[] {0.5f}, new long[] {128}, 0)
                .dequantize("f");
        assertThat(t.data()).containsExactly(0f, 1f, -64f, 63.5f);
    }

    @Test
    void int8PerChannelAlongTheFirstDimension() {
        byte[] q = {1, -2, 3, -4};
        Tensor t = tensor(new int[] {2, 2}, TfliteTensor.INT8, q, new float[] {1f, 0.1f}, new long[] {0, 1}, 0)
                .dequantize("f");
        assertThat(t.data()).containsExactly(new float[] {1f, -2f, 0.2f, -0.5f}, within(1e-6f));
    }

    @Test
    void int8PerChannelAlongTheLastDimensionAsInDepthwiseWeights() {
        byte[] q = {1, 2, 3, 4, 5, 6};
        Tensor t = tensor(new int[] {1, 1, 3, 2}, TfliteTensor.INT8, q, new float[] {1f, 10f}, new long[0], 3)
                .dequantize("f");
        assertThat(t.data()).containsExactly(1f, 20f, 3f, 40f, 5f, 60f);
        assertThat(t.shape()).containsExactly(1, 1, 3, 2);
    }

    @Test
    void int32BiasesUseTheirOwnScale() {
        byte[] q = TfliteModelBuilder.le(100, -300);
        Tensor t = tensor(new int[] {2}, TfliteTensor.INT32, q, new float[] {0.25f}, new long[] {0}, 0)
                .dequantize("f");
        assertThat(t.data()).containsExactly(25f, -75f);
    }

    @Test
    void floatsPassThroughAndHalvesWiden() {
        Tensor f = tensor(new int[] {2}, TfliteTensor.FLOAT32, TfliteModelBuilder.le(1.5f, -2f), new float[0],
                new long[0], 0).dequantize("f");
        assertThat(f.data()).containsExactly(1.5f, -2f);
        byte[] halves = {0x00, 0x3c, 0x00, (byte) 0xc1, 0x01, 0x00};  // 1.0, -2.5, smallest subnormal
        Tensor h = tensor(new int[] {3}, TfliteTensor.FLOAT16, halves, new float[0], new long[0], 0).dequantize("f");
        assertThat(h.data()).containsExactly(1f, -2.5f, 0x1p-24f);
    }

    @Test
    void aBufferOfTheWrongSizeIsAnError() {
        assertThatThrownBy(() -> tensor(new int[] {2, 2}, TfliteTensor.UINT8, new byte[3], new float[] {1f},
                new long[] {0}, 0).dequantize("model.tflite"))
                .isInstanceOf(WeightsException.class)
                .hasMessageContaining("model.tflite").hasMessageContaining("needs 4 bytes");
    }

    @Test
    void integersWithoutScaleOrWithScalesThatDoNotFitAreErrors() {
        assertThatThrownBy(() -> tensor(new int[] {2}, TfliteTensor.UINT8, new byte[2], new float[0], new long[0], 0)
                .dequantize("m.tflite")).isInstanceOf(WeightsException.class).hasMessageContaining("no quantization");
        assertThatThrownBy(() -> tensor(new int[] {2, 3}, TfliteTensor.INT8, new byte[6], new float[] {1f, 2f},
                new long[0], 1).dequantize("m.tflite")).isInstanceOf(WeightsException.class)
                .hasMessageContaining("2 scales along dimension 1");
    }
}
