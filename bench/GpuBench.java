import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.transfer4j.arch.Architectures;
import org.transfer4j.arch.Graph;
import org.transfer4j.exec.Device;
import org.transfer4j.exec.DjlEngine;
import org.transfer4j.exec.DjlExecutor;
import org.transfer4j.exec.OnnxWriter;
import org.transfer4j.exec.OrtRunner;
import org.transfer4j.weights.Tensor;
import org.transfer4j.weights.Weights;

/**
 * GPU against CPU in one run (bench/gpu.sh): backbone extraction images/s on ONNX Runtime (mobilenet_v2,
 * resnet50, densenet121 at batch 64 and 256, random weights and inputs: the speed does not depend on
 * their values) and one fine-tuning step of the whole backbone on libtorch (forward + backward, batch 32).
 * Usage: GpuBench SECONDS_PER_CASE [cpu-only]
 */
public class GpuBench {
    public static void main(String[] args) {
        double budget = Double.parseDouble(args[0]);
        boolean cpuOnly = args.length > 1 && args[1].equals("cpu-only");
        List<Device> devices = cpuOnly ? List.of(Device.cpu()) : List.of(Device.cpu(), Device.parse("cuda:0"));
        System.out.println("| backbone | batch | " + String.join(" | ", devices.stream().map(d -> d + " images/s").toList())
                + (cpuOnly ? "" : " | GPU / CPU") + " |");
        for (String arch : List.of("mobilenet_v2", "resnet50", "densenet121")) {
            Graph g = Architectures.build(arch);
            Weights w = random(g);
            byte[] onnx = OnnxWriter.write(g, w, List.of(Graph.Outputs.FEATURES));
            for (int batch : new int[] {64, 256}) {
                double[] rates = new double[devices.size()];
                for (int d = 0; d < devices.size(); d++) {
                    try (OrtRunner ort = new OrtRunner(onnx, 0, devices.get(d))) {
                        rates[d] = extraction(ort, batch, budget);
                    }
                }
                row(arch, String.valueOf(batch), rates, cpuOnly);
            }
        }
        System.out.println();
        System.out.println("| fine-tuning step (batch 32, whole backbone) | " + String.join(" | ",
                devices.stream().map(d -> d + " steps/s").toList()) + (cpuOnly ? "" : " | GPU / CPU") + " |");
        for (String arch : List.of("mobilenet_v2", "resnet50")) {
            Graph g = Architectures.build(arch);
            Weights w = random(g);
            double[] rates = new double[devices.size()];
            for (int d = 0; d < devices.size(); d++) {
                DjlEngine.use(devices.get(d));
                rates[d] = fineTuneSteps(g, w, budget);
            }
            row(arch, "32", rates, cpuOnly);
        }
    }

    private static void row(String arch, String batch, double[] rates, boolean cpuOnly) {
        StringBuilder b = new StringBuilder("| " + arch + " | " + batch);
        for (double r : rates) {
            b.append(String.format(Locale.ROOT, " | %.1f", r));
        }
        if (!cpuOnly) {
            b.append(String.format(Locale.ROOT, " | %.1f", rates[1] / rates[0]));
        }
        System.out.println(b.append(" |"));
    }

    private static double extraction(OrtRunner ort, int batch, double budget) {
        float[] input = new float[batch * 3 * 224 * 224];
        Random r = new Random(1);
        for (int i = 0; i < input.length; i++) {
            input[i] = (float) r.nextGaussian();
        }
        long[] shape = {batch, 3, 224, 224};
        ort.run(input, shape); // warm-up (and cuDNN's algorithm search)
        int runs = 0;
        long start = System.nanoTime();
        do {
            ort.run(input, shape);
            runs++;
        } while (System.nanoTime() - start < budget * 1e9 && runs < 50);
        return runs * batch / ((System.nanoTime() - start) / 1e9);
    }

    private static double fineTuneSteps(Graph g, Weights w, double budget) {
        try (DjlExecutor ex = new DjlExecutor(g, w)) {
            ex.attachGradient(firstSegments(g));
            int steps = -1; // the first step warms up
            long start = 0;
            while (steps < 0 || (System.nanoTime() - start < budget * 1e9 && steps < 50)) {
                try (NDManager m = ex.manager().newSubManager();
                     GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray x = m.randomNormal(new Shape(32, 3, 224, 224));
                    NDArray loss = ex.forward(x, true).get(Graph.Outputs.FEATURES).sum();
                    gc.backward(loss);
                    loss.getFloat(); // waits for the device
                }
                if (steps++ < 0) {
                    start = System.nanoTime();
                }
            }
            return steps / ((System.nanoTime() - start) / 1e9);
        }
    }

    private static String[] firstSegments(Graph g) {
        return g.parameters().keySet().stream().map(k -> k.split("\\.")[0]).distinct().toArray(String[]::new);
    }

    private static Weights random(Graph g) {
        Random r = new Random(1);
        Map<String, Tensor> m = new LinkedHashMap<>();
        g.parameters().forEach((name, shape) -> {
            Tensor t = Tensor.zeros(shape);
            float[] data = t.data();
            boolean variance = name.endsWith("running_var");
            for (int i = 0; i < data.length; i++) {
                data[i] = variance ? 1f : (float) (r.nextGaussian() * 0.02);
            }
            m.put(name, t);
        });
        return new Weights(m);
    }
}
