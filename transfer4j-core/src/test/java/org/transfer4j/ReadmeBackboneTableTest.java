package org.transfer4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.transfer4j.arch.Architectures;
import org.transfer4j.arch.Graph;
import org.transfer4j.weights.WeightRegistry;
import org.transfer4j.weights.WeightSet;

/** The README's backbone table lists exactly the registry's weight sets, with their facts. */
class ReadmeBackboneTableTest {

    @Test
    void everyWeightSetHasItsRow() throws Exception {
        List<String> rows = Files.readAllLines(SharedData.checkout().resolve("README.md")).stream()
                .filter(l -> l.startsWith("| ") && l.chars().filter(c -> c == '|').count() == 9).toList();
        for (WeightSet set : WeightRegistry.all()) {
            Graph g = Architectures.build(set.architecture());
            long params = g.parameters().entrySet().stream()
                    .filter(e -> !e.getKey().endsWith("running_mean") && !e.getKey().endsWith("running_var"))
                    .mapToLong(e -> org.transfer4j.weights.Tensor.numel(e.getValue())).sum();
            String expected = String.format("| %s | %s | ", set.backbone(), set.tag());
            String row = rows.stream().filter(r -> r.startsWith(expected)).findFirst().orElse(null);
            assertThat(row).as("README row for " + set.id()).isNotNull();
            assertThat(row).contains(String.format("| %,d | %d | %d |", params, g.width(Graph.Outputs.FEATURES), g.inputSize()))
                    .contains("| " + set.fileName() + " |");
        }
        assertThat(rows.stream().filter(r -> !r.startsWith("| backbone"))).as("no stale rows")
                .hasSize(WeightRegistry.all().size());
    }
}
