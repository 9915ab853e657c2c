package org.transfer4j.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.transfer4j.arch.Graph;
import org.transfer4j.arch.Node;

/**
 * The blocks of a backbone that fine-tuning unfreezes from the top, derived from torchvision's
 * parameter names: a block is a top-level prefix group {@code features.K} with K ≥ 1 (MobileNet,
 * EfficientNet; {@code features.0} is the stem), one residual block {@code layerK.J} (ResNet), or
 * {@code features.denseblockK} / {@code features.transitionK} (DenseNet). Parameters outside these
 * groups (stem, final norm, classifier) never count as blocks.
 *
 * <p>MobileNetV2 (torchvision and TFLite) has blocks {@code features.1..features.18}, one inverted
 * residual block each; ResNet-18 has {@code layer1.0, layer1.1, ..., layer4.1}, one residual block
 * each, so {@code --unfreeze 2} trains its last stage, {@code layer4}.
 */
public final class BlockBoundaries {

    private static final Pattern BLOCK = Pattern.compile(
            "^(features\\.(?:[1-9]\\d*|denseblock\\d+|transition\\d+)|layer\\d+\\.\\d+)\\.");

    private BlockBoundaries() {
    }

    /** The backbone's blocks, bottom to top, as name prefixes without the trailing dot. */
    public static List<String> of(Graph graph) {
        List<Node> backbone = graph.nodesFor(List.of(graph.output(Graph.Outputs.FEATURES)));
        Set<String> blocks = new LinkedHashSet<>();
        for (String parameter : graph.parametersOf(backbone).keySet()) {
            Matcher m = BLOCK.matcher(parameter);
            if (m.find()) {
                blocks.add(m.group(1));
            }
        }
        return List.copyOf(blocks);
    }

    /**
     * Where to cut the backbone so that its top {@code unfreeze} blocks train.
     *
     * @throws IllegalArgumentException when unfreeze is out of range or the graph has no single value
     *     between the frozen and the trainable part
     */
    public static Cut cut(Graph graph, int unfreeze) {
        List<String> blocks = of(graph);
        if (unfreeze < 1 || unfreeze > blocks.size()) {
            throw new IllegalArgumentException("--unfreeze must be between 1 and " + blocks.size() + " for "
                    + graph.name() + " (blocks " + blocks + "), got " + unfreeze);
        }
        List<String> top = blocks.subList(blocks.size() - unfreeze, blocks.size());
        String first = top.get(0) + ".";
        List<Node> nodes = graph.nodesFor(List.of(graph.output(Graph.Outputs.FEATURES)));
        int split = -1;
        for (int i = 0; i < nodes.size() && split < 0; i++) {
            if (nodes.get(i).name().startsWith(first)) {
                split = i;
            }
        }
        Map<String, Integer> producedAt = new LinkedHashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            producedAt.put(nodes.get(i).output(), i);
        }
        Set<String> crossing = new LinkedHashSet<>();
        for (Node n : nodes.subList(split, nodes.size())) {
            for (String in : n.inputs()) {
                Integer at = producedAt.get(in);
                if (at == null || at < split) {
                    crossing.add(in);
                }
            }
        }
        if (crossing.size() != 1 || crossing.contains(Graph.INPUT)) {
            throw new IllegalArgumentException(graph.name() + ": cannot cut below " + top.get(0)
                    + "; the trainable part reads " + crossing + " from below (expected one value)");
        }
        List<String> prefixes = new ArrayList<>();
        for (String block : top) {
            prefixes.add(block + ".");
        }
        String value = crossing.iterator().next();
        return new Cut(value, graph.shapeOf(value), prefixes, nodes.size() - split, nodes.size());
    }

    /**
     * The cut at the features: nothing of the backbone trains, only the head above it. Head-only
     * training is this cut, and the feature cache is its activation cache.
     */
    public static Cut atFeatures(Graph graph) {
        String features = graph.output(Graph.Outputs.FEATURES);
        int total = graph.nodesFor(List.of(features)).size();
        return new Cut(features, graph.shapeOf(features), List.of(), 0, total);
    }

    /**
     * A cut through a backbone.
     *
     * @param value the graph value at the cut: input of the lowest unfrozen block
     * @param shape its shape for one image, [C, H, W]
     * @param trainablePrefixes parameter name prefixes of the unfrozen blocks (with trailing dot)
     * @param nodesAbove backbone nodes above the cut
     * @param nodesTotal backbone nodes in all
     */
    public record Cut(String value, long[] shape, List<String> trainablePrefixes, int nodesAbove, int nodesTotal) {

        /** Floats per image at the cut. */
        public int width() {
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            return Math.toIntExact(n);
        }

        /** A short key for caches: the lowest unfrozen block. */
        public String key() {
            if (trainablePrefixes.isEmpty()) {
                return Graph.Outputs.FEATURES;
            }
            String p = trainablePrefixes.get(0);
            return p.substring(0, p.length() - 1);
        }
    }
}
