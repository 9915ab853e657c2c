package org.transfer4j.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.transfer4j.Transfer;
import org.transfer4j.arch.Architectures;
import org.transfer4j.arch.Graph;
import org.transfer4j.model.ModelBundle;
import org.transfer4j.weights.WeightRegistry;
import org.transfer4j.weights.WeightSet;
import org.transfer4j.weights.WeightStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code transfer4j backbones}: the known backbones, where their weights stand, and which weight set a
 * plain {@code --backbone NAME} uses here (the most accurate one on this machine).
 */
@Command(name = "backbones", mixinStandardHelpOptions = true,
        description = "List the pretrained backbones, their weight sets and whether the weights are here.")
final class BackbonesCommand implements Callable<Integer> {

    @Mixin
    WeightOptions weights;

    @Option(names = "--json", description = "Print JSON instead of a table.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        WeightStore store = weights.store();
        List<Map<String, Object>> rows = new ArrayList<>();
        Map<String, Optional<WeightSet>> used = new LinkedHashMap<>();
        for (String backbone : WeightRegistry.backbones()) {
            used.put(backbone, store.choice(backbone));
        }
        for (WeightSet set : WeightRegistry.all()) {
            Graph graph = Architectures.build(set.architecture());
            long params = 0;
            for (var p : graph.parameters().entrySet()) {
                if (p.getKey().endsWith("running_mean") || p.getKey().endsWith("running_var")) {
                    continue; // buffers, not parameters (torchvision counts them out too)
                }
                long n = 1;
                for (long d : p.getValue()) {
                    n *= d;
                }
                params += n;
            }
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("backbone", set.backbone());
            row.put("weights", set.tag());
            row.put("family", Architectures.all().stream()
                    .filter(e -> e.name().equals(set.architecture())).findFirst().orElseThrow().family());
            row.put("parameters", params);
            row.put("featureWidth", graph.width(Graph.Outputs.FEATURES));
            row.put("inputSize", graph.inputSize());
            row.put("imagenetTop1", Double.isNaN(set.top1()) ? null : set.top1());
            row.put("format", set.format().name().toLowerCase(Locale.ROOT));
            row.put("file", set.fileName());
            row.put("status", store.status(set).name().toLowerCase(Locale.ROOT));
            row.put("used", used.get(set.backbone()).filter(set::equals).isPresent());
            row.put("licence", set.licence());
            rows.add(row);
        }
        if (json) {
            System.out.println(ModelBundle.json().writeValueAsString(rows));
            return 0;
        }
        System.out.printf("%-22s %-16s %-12s %11s %8s %6s %7s  %-12s %s%n", "backbone", "weights", "family",
                "parameters", "features", "input", "top-1", "status", "used");
        for (Map<String, Object> r : rows) {
            Object top1 = r.get("imagenetTop1");
            System.out.printf(Locale.ROOT, "%-22s %-16s %-12s %11d %8d %6d %7s  %-12s %s%n", r.get("backbone"),
                    r.get("weights"), r.get("family"), (Long) r.get("parameters"), (Integer) r.get("featureWidth"),
                    (Integer) r.get("inputSize"), top1 == null ? "-" : String.format(Locale.ROOT, "%.1f%%", (Double) top1),
                    r.get("status"), Boolean.TRUE.equals(r.get("used")) ? "yes" : "");
        }
        System.out.println();
        System.out.println(defaultLine(Transfer.DEFAULT_BACKBONE, used.get(Transfer.DEFAULT_BACKBONE), store));
        return 0;
    }

    /** Which weight set the default backbone resolves to here, and why. */
    static String defaultLine(String backbone, Optional<WeightSet> choice, WeightStore store) {
        if (choice.isEmpty()) {
            return "--backbone " + backbone + " (the default) has no weights on this machine (offline): see the status column";
        }
        WeightSet set = choice.get();
        WeightStore.Status status = store.status(set);
        String why = switch (status) {
            case LOCAL, CACHED -> "the most accurate of its weight sets on this machine, by published ImageNet top-1";
            case EMBEDDED -> "none of its weight sets is in the weights folder or the cache, so the embedded one "
                    + "(transfer4j-mobilenet-v2), copied into the cache on first use";
            case DOWNLOADABLE, MISSING -> "none of its weight sets is on this machine, so this one is downloaded on first use";
        };
        return "--backbone " + backbone + " (the default) uses " + set.id() + " (" + set.fileName() + ", "
                + status.name().toLowerCase(Locale.ROOT) + "): " + why;
    }
}
