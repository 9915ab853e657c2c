package org.transfer4j.exec;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.pooling.Pool;
import java.util.List;
import java.util.function.Function;
import org.transfer4j.arch.Node;
import org.transfer4j.arch.Node.Attributes;

/**
 * The meaning of each {@link org.transfer4j.arch.Op} on DJL NDArrays, with the semantics of the ONNX
 * operators {@link OnnxWriter} maps it to. Results live in the manager of the node's first input, never
 * in the parameters' manager.
 */
final class DjlOps {

    /**
     * DJL's batch-norm momentum weighs the old running statistics; libtorch is called with
     * {@code 1 - momentum}, so 0.9 here is PyTorch's default momentum of 0.1.
     */
    private static final float BN_MOMENTUM = 0.9f;
    private static final int CHANNEL_AXIS = 1;

    private DjlOps() {
    }

    /**
     * Computes one node.
     *
     * @param inputs the node's input values, in order
     * @param param parameter name to array
     * @param batchStatistics batch-norm only: normalise with the batch's statistics and update the
     *     running ones (training), instead of using the running ones (inference)
     * @param training dropout only: drop values (training) instead of passing them through
     */
    static NDArray apply(Node node, List<NDArray> inputs, Function<String, NDArray> param,
                         boolean batchStatistics, boolean training) {
        NDArray x = inputs.get(0);
        Attributes a = node.attributes();
        return switch (node.op()) {
            case CONV -> conv(node, x, param);
            case BATCH_NORM -> BatchNorm.batchNorm(x, param.apply(node.param("running_mean")),
                    param.apply(node.param("running_var")), param.apply(node.param("weight")),
                    param.apply(node.param("bias")), CHANNEL_AXIS, BN_MOMENTUM, a.alpha(),
                    batchStatistics).singletonOrThrow();
            case RELU -> Activation.relu(x);
            case RELU6 -> x.clip(0f, 6f);
            case LEAKY_RELU -> Activation.leakyRelu(x, a.alpha());
            case SIGMOID -> Activation.sigmoid(x);
            case HARD_SWISH -> x.mul(hardSigmoid(x));
            case HARD_SIGMOID -> hardSigmoid(x);
            case SILU -> x.mul(Activation.sigmoid(x));
            case ADD -> x.add(inputs.get(1));
            case MUL -> x.mul(inputs.get(1));
            case CONCAT -> NDArrays.concat(new NDList(inputs), CHANNEL_AXIS);
            case MAX_POOL -> Pool.maxPool2d(x, shape(a.kernel()), shape(a.stride()),
                    new Shape(a.pads()[0], a.pads()[1]), a.ceilMode());
            case AVG_POOL -> Pool.avgPool2d(x, shape(a.kernel()), shape(a.stride()),
                    new Shape(a.pads()[0], a.pads()[1]), a.ceilMode(), true);
            case GLOBAL_AVG_POOL -> Pool.globalAvgPool2d(x).reshape(x.getShape().get(0), x.getShape().get(1), 1, 1);
            case FLATTEN -> x.reshape(x.getShape().get(0), -1);
            case LINEAR -> Linear.linear(x, param.apply(node.param("weight")),
                    a.hasBias() ? param.apply(node.param("bias")) : null).singletonOrThrow();
            case DROPOUT -> training && a.alpha() > 0
                    ? Dropout.dropout(x, a.alpha(), true).singletonOrThrow() : x.duplicate();
            case LOG_SOFTMAX -> x.logSoftmax(CHANNEL_AXIS);
            case SOFTMAX -> x.softmax(CHANNEL_AXIS);
        };
    }

    /**
     * Convolution. Asymmetric padding (TensorFlow "SAME", the odd pixel bottom/right) pads the input
     * explicitly first, since libtorch's convolution pads both sides alike.
     */
    private static NDArray conv(Node node, NDArray x, Function<String, NDArray> param) {
        Attributes a = node.attributes();
        int[] p = a.pads();
        NDArray input = x;
        Shape padding = new Shape(p[0], p[1]);
        if (!a.symmetricPads()) {
            // NDArray.pad lists the last axis first: left, right, top, bottom.
            input = x.pad(new Shape(p[1], p[3], p[0], p[2]), 0);
            padding = new Shape(0, 0);
        }
        NDArray bias = a.hasBias() ? param.apply(node.param("bias")) : null;
        NDArray y = Conv2d.conv2d(input, param.apply(node.param("weight")), bias, shape(a.stride()),
                padding, new Shape(1, 1), a.groups()).singletonOrThrow();
        if (input != x) {
            input.close();
        }
        return y;
    }

    /** relu6(x + 3) / 6, as ONNX HardSigmoid with alpha 1/6 and beta 0.5. */
    private static NDArray hardSigmoid(NDArray x) {
        return x.add(3f).clip(0f, 6f).div(6f);
    }

    private static Shape shape(int[] values) {
        long[] dims = new long[values.length];
        for (int i = 0; i < values.length; i++) {
            dims[i] = values[i];
        }
        return new Shape(dims);
    }
}
