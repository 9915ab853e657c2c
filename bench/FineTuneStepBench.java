import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.transfer4j.arch.Architectures;
import org.transfer4j.arch.Graph;
import org.transfer4j.exec.DjlEngine;
import org.transfer4j.exec.DjlExecutor;
import org.transfer4j.train.AdamState;
import org.transfer4j.train.BlockBoundaries;
import org.transfer4j.train.ClassificationLoss;
import org.transfer4j.train.FineTuner;
import org.transfer4j.train.HeadSpec;
import org.transfer4j.train.TrainedHead;
import org.transfer4j.weights.Tensor;
import org.transfer4j.weights.Weights;

/**
 * One fine-tuning step (batch 32, forward + backward + Adam) of the top blocks, timed two ways: from
 * cached cut activations (staged) and from the input image (frozen part recomputed every step).
 * Usage: java -cp transfer4j-core/target/classes:$(cat transfer4j-core/target/classpath.txt) bench/FineTuneStepBench.java ARCH UNFREEZE [STEPS]
 */
public class FineTuneStepBench {
    public static void main(String[] args) {
        String arch = args[0];
        int unfreeze = Integer.parseInt(args[1]);
        int steps = args.length > 2 ? Integer.parseInt(args[2]) : 6;
        int batch = 32;
        Graph g = Architectures.build(arch);
        Random r = new Random(1);
        Map<String, Tensor> w = new LinkedHashMap<>();
        g.parameters().forEach((name, shape) -> {
            Tensor t = Tensor.zeros(shape);
            boolean var = name.endsWith("running_var") || (name.endsWith(".weight") && shape.length == 1);
            for (int i = 0; i < t.data().length; i++) {
                t.data()[i] = var ? 1f : name.endsWith("running_mean") ? 0f : (float) (r.nextGaussian() * 0.02);
            }
            w.put(name, t);
        });
        Map<String, Tensor> head = new LinkedHashMap<>();
        int width = g.width(Graph.Outputs.FEATURES);
        head.put("head.linear0.weight", Tensor.zeros(2, width));
        head.put("head.linear0.bias", Tensor.zeros(2));
        TrainedHead th = new TrainedHead(new HeadSpec(List.of(), 0f), width, 2, head, List.of(), new float[0][]);
        Graph classifier = th.onTopOf(g);
        w.putAll(head);
        BlockBoundaries.Cut cut = BlockBoundaries.cut(g, unfreeze);
        System.out.printf("%s unfreeze %d %s cut %s%n", arch, unfreeze, cut.trainablePrefixes(), Arrays.toString(cut.shape()));
        try (DjlExecutor ex = new DjlExecutor(classifier, new Weights(w))) {
            for (String p : cut.trainablePrefixes()) {
                ex.attachGradient(p);
            }
            ex.attachGradient("head.");
            AdamState adam = new AdamState(0f);
            ClassificationLoss loss = ClassificationLoss.plain();
            float[] images = new float[batch * 3 * g.inputSize() * g.inputSize()];
            float[] acts = new float[batch * cut.width()];
            for (int i = 0; i < images.length; i++) {
                images[i] = (float) r.nextGaussian();
            }
            for (int i = 0; i < acts.length; i++) {
                acts[i] = Math.abs((float) r.nextGaussian());
            }
            int[] labels = new int[batch];
            for (String mode : List.of("from-cut", "from-input")) {
                double[] t = new double[steps];
                for (int s = 0; s < steps + 2; s++) {
                    long start = System.nanoTime();
                    try (NDManager m = ex.manager().newSubManager()) {
                        NDArray y = m.create(labels);
                        try (GradientCollector gc = DjlEngine.get().newGradientCollector()) {
                            NDArray logits = mode.equals("from-cut")
                                    ? ex.forwardFrom(cut.value(), m.create(acts, shape(cut, batch)), true).get("logits")
                                    : ex.forward(m.create(images, new Shape(batch, 3, g.inputSize(), g.inputSize())), true).get("logits");
                            gc.backward(loss.evaluate(new NDList(y), new NDList(logits.logSoftmax(1))));
                        }
                        adam.step(ex.trainableParameters(), n -> 1e-4);
                    }
                    if (s >= 2) {
                        t[s - 2] = (System.nanoTime() - start) / 1e6;
                    }
                }
                Arrays.sort(t);
                System.out.printf("java-djl %s %s step ms: median %.0f  min %.0f  max %.0f%n", arch, mode, t[steps / 2], t[0], t[steps - 1]);
            }
        }
    }

    private static Shape shape(BlockBoundaries.Cut cut, int n) {
        long[] s = new long[cut.shape().length + 1];
        s[0] = n;
        System.arraycopy(cut.shape(), 0, s, 1, cut.shape().length);
        return new Shape(s);
    }
}
