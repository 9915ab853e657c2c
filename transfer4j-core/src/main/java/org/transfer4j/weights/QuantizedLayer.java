package org.transfer4j.weights;

/**
 * One quantized conv or linear layer of a TorchScript model, as its packed parameters hold it: the
 * int8 weight with its quantization, the float bias (the batch-norm folded in, for a fused conv) and,
 * for a conv, its geometry.
 *
 * @param module the layer's module path, torchvision's name for it ({@code features.1.conv.1},
 *     {@code classifier.1})
 * @param kind conv or linear
 * @param weight the quantized weight ({@code [out, in/groups, kh, kw]} or {@code [out, in]})
 * @param bias the float bias, or null when the layer has none
 * @param stride the conv's stride per spatial axis (empty for a linear layer)
 * @param padding the conv's padding per spatial axis (empty for a linear layer)
 * @param dilation the conv's dilation per spatial axis (empty for a linear layer)
 * @param groups the conv's groups (1 for a linear layer)
 */
public record QuantizedLayer(String module, Kind kind, QuantizedTensor weight, Tensor bias, int[] stride,
                             int[] padding, int[] dilation, int groups) {

    /** The layer types a quantized model packs. */
    public enum Kind { CONV2D, LINEAR }
}
