package org.transfer4j.spark;

import java.nio.file.Path;
import java.util.List;
import org.apache.spark.SparkFiles;
import org.transfer4j.arch.Graph;
import org.transfer4j.data.Preprocessing;
import org.transfer4j.exec.OnnxWriter;
import org.transfer4j.exec.OrtRunner;
import org.transfer4j.weights.Backbone;
import org.transfer4j.weights.BackboneLoader;
import org.transfer4j.weights.WeightStore;

/**
 * The backbone of one executor JVM: loaded on first use from the job's copy of the weights file,
 * checked against the driver's SHA-256, exported to ONNX and opened as one ONNX Runtime session that
 * every task of the JVM shares, across partitions and stages (a session runs concurrent batches). A
 * job with another backbone or weights replaces it.
 */
final class ExecutorBackbone {

    /**
     * A loaded backbone.
     *
     * @param spec what it was loaded for
     * @param runner the shared session, with a {@code features} output
     * @param preprocessing the weights' preprocessing
     */
    record Loaded(BackboneSpec spec, OrtRunner runner, Preprocessing preprocessing) {
    }

    private static Loaded current;
    private static int loads;

    private ExecutorBackbone() {
    }

    /** The executor's backbone for a spec, loading it when this JVM has none or another. */
    static synchronized Loaded get(BackboneSpec spec) {
        if (current != null && current.spec().equals(spec)) {
            return current;
        }
        if (current != null) {
            current.runner().close();
            current = null;
        }
        Path file = Path.of(SparkFiles.get(spec.weightsFileName()));
        Backbone net = BackboneLoader.load(spec.backbone(), file, WeightStore.fromEnvironment(null));
        if (!net.sha256().equals(spec.weightsSha256())) {
            throw new IllegalStateException("weights " + file + " on this executor have SHA-256 " + net.sha256()
                    + " but the driver's have " + spec.weightsSha256() + "; the job's files were changed in transit");
        }
        OrtRunner runner = new OrtRunner(OnnxWriter.write(net.graph(), net.weights(), List.of(Graph.Outputs.FEATURES)),
                spec.threads(), org.transfer4j.exec.Device.parse(spec.device()));
        current = new Loaded(spec, runner, net.set().preprocessing());
        loads++;
        return current;
    }

    /** How many times this JVM loaded a backbone (a test checks it is once per job). */
    static synchronized int loads() {
        return loads;
    }
}
