package org.transfer4j.weights;

import java.util.List;

/**
 * The main subgraph of a TensorFlow Lite file: its tensors and its operators in execution order.
 * Constant tensors keep a view of the file's bytes; {@link TfliteTensor#dequantize} turns them into
 * float weights.
 *
 * @param source the file it was read from, for messages
 * @param version the schema version the file declares
 * @param tensors all tensors, indexed as the operators refer to them
 * @param operators the operators in execution order
 * @param inputs indices of the subgraph's input tensors
 * @param outputs indices of the subgraph's output tensors
 */
public record TfliteModel(String source, int version, List<TfliteTensor> tensors,
                          List<TfliteOperator> operators, int[] inputs, int[] outputs) {

    public TfliteModel {
        tensors = List.copyOf(tensors);
        operators = List.copyOf(operators);
    }

    /** The tensor at an index an operator refers to. */
    public TfliteTensor tensor(int index) {
        return tensors.get(index);
    }

    /** The operator that writes a tensor, or null for inputs and constants. */
    public TfliteOperator producerOf(int tensor) {
        for (TfliteOperator op : operators) {
            for (int out : op.outputs()) {
                if (out == tensor) {
                    return op;
                }
            }
        }
        return null;
    }
}
