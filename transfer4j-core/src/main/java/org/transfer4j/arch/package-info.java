/**
 * Backbone architectures as data. A {@link org.transfer4j.arch.Graph} is a list of operations over
 * named values whose parameter names are torchvision's state-dict keys, built by
 * {@link org.transfer4j.arch.GraphBuilder}; one file per family ({@code ResNet}, {@code DenseNet},
 * {@code Vgg}, {@code MobileNetV2}, {@code MobileNetV3}, {@code EfficientNet}, {@code SqueezeNet})
 * holds its stage tables at the top, and {@link org.transfer4j.arch.Architectures} lists them by name.
 * Executors (ONNX Runtime, DJL) run the graphs; they never define a network themselves.
 */
package org.transfer4j.arch;
