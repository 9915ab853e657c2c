/**
 * The two executors of a graph: ONNX (writer + ONNX Runtime) for inference, DJL on libtorch for training;
 * the int8 form of the ONNX export (QDQ graph, calibration, {@link org.transfer4j.exec.Precision}); and the
 * {@link org.transfer4j.exec.Device} they run on ({@code --device cpu|cuda[:N]|auto}).
 */
package org.transfer4j.exec;
