/**
 * The two executors of a graph: ONNX (writer + ONNX Runtime) for inference, DJL on libtorch for training;
 * and the {@link org.transfer4j.exec.Device} they run on ({@code --device cpu|cuda[:N]|auto}).
 */
package org.transfer4j.exec;
