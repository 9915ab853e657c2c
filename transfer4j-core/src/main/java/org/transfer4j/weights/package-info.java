/**
 * Weights as named float32 tensors: {@link org.transfer4j.weights.Tensor},
 * {@link org.transfer4j.weights.Weights} (with a check against an architecture's graph) and the
 * readers that make them from files. {@link org.transfer4j.weights.WeightFiles#read} picks the
 * reader by content: PyTorch {@code .pth} ({@link org.transfer4j.weights.PthReader}, which never
 * runs pickled code), TorchScript archives of quantized models
 * ({@link org.transfer4j.weights.TorchScriptReader}: int8 weights as
 * {@link org.transfer4j.weights.QuantizedLayer}s, or dequantised), {@code .safetensors} and NumPy
 * {@code .npz}. The registry ({@link org.transfer4j.weights.WeightRegistry}) and the store
 * ({@link org.transfer4j.weights.WeightStore}) pick a backbone's most accurate weight set on the machine. Every failure is a
 * {@link org.transfer4j.weights.WeightsException} whose one-line message names the file.
 */
package org.transfer4j.weights;
