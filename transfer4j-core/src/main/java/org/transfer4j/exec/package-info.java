/**
 * The two executors of a graph: ONNX (writer + ONNX Runtime) for inference, DJL on libtorch for training;
 * and the int8 form of the ONNX export (QDQ graph, calibration, {@link org.transfer4j.exec.Precision}).
 */
package org.transfer4j.exec;
