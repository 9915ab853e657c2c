/**
 * The two executors of a graph: ONNX (writer + ONNX Runtime) for inference, DJL on libtorch for training.
 */
package org.transfer4j.exec;
