package org.transfer4j.arch;

/** The operations a backbone graph is made of; each maps to one ONNX operator and one DJL call. */
public enum Op {
    /** 2-D convolution; parameters {@code weight [O, I/groups, kH, kW]} and optional {@code bias [O]}. */
    CONV,
    /** Batch normalisation in inference form; parameters weight, bias, running_mean, running_var. */
    BATCH_NORM,
    RELU,
    /** min(max(x, 0), 6). */
    RELU6,
    /** max(x, alpha·x). */
    LEAKY_RELU,
    SIGMOID,
    /** x · relu6(x + 3) / 6. */
    HARD_SWISH,
    /** relu6(x + 3) / 6. */
    HARD_SIGMOID,
    /** x · sigmoid(x). */
    SILU,
    /** Element-wise sum of two values of one shape. */
    ADD,
    /** Element-wise product, the second broadcast over H and W (squeeze-excitation). */
    MUL,
    /** Concatenation along channels. */
    CONCAT,
    MAX_POOL,
    /** Average pooling; padding counts towards the divisor as in PyTorch's default. */
    AVG_POOL,
    /** Mean over H and W, keeping them as size 1. */
    GLOBAL_AVG_POOL,
    /** [N, C, H, W] to [N, C·H·W]. */
    FLATTEN,
    /** Fully connected; parameters {@code weight [O, I]} and optional {@code bias [O]}. */
    LINEAR,
    /** Zeroes a share ({@code alpha}) of the values while training, scaling the rest; the identity at inference. */
    DROPOUT,
    LOG_SOFTMAX,
    SOFTMAX
}
