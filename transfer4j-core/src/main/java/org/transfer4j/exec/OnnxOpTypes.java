package org.transfer4j.exec;

import com.google.protobuf.CodedInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.TreeMap;

/**
 * Counts the operator types of an ONNX model's main graph, e.g. to see which convolutions ONNX Runtime's
 * optimizer turned into int8 kernels ({@code QLinearConv}) in a model saved with
 * {@link OrtRunner#optimized}.
 */
public final class OnnxOpTypes {

    private static final int MODEL_GRAPH = 7;
    private static final int GRAPH_NODE = 1;
    private static final int NODE_OP_TYPE = 4;

    private OnnxOpTypes() {
    }

    /** Operator type to number of nodes, sorted by type. */
    public static Map<String, Integer> count(byte[] model) {
        Map<String, Integer> counts = new TreeMap<>();
        try {
            CodedInputStream in = CodedInputStream.newInstance(model);
            in.setSizeLimit(Integer.MAX_VALUE);
            for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
                if (tag >>> 3 == MODEL_GRAPH) {
                    countNodes(in.readBytes().newCodedInput(), counts);
                } else {
                    in.skipField(tag);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("not an ONNX model: " + e.getMessage(), e);
        }
        return counts;
    }

    private static void countNodes(CodedInputStream graph, Map<String, Integer> counts) throws IOException {
        graph.setSizeLimit(Integer.MAX_VALUE);
        for (int tag = graph.readTag(); tag != 0; tag = graph.readTag()) {
            if (tag >>> 3 == GRAPH_NODE) {
                CodedInputStream node = graph.readBytes().newCodedInput();
                for (int t = node.readTag(); t != 0; t = node.readTag()) {
                    if (t >>> 3 == NODE_OP_TYPE) {
                        counts.merge(node.readStringRequireUtf8(), 1, Integer::sum);
                    } else {
                        node.skipField(t);
                    }
                }
            } else {
                graph.skipField(tag);
            }
        }
    }
}
