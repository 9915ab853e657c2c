package org.transfer4j.train;

import java.util.ArrayList;
import java.util.List;

/**
 * The shape of a new classifier head on top of backbone features: hidden layer widths (each
 * followed by ReLU and optional dropout), then a linear layer to the classes and LogSoftmax.
 *
 * @param hidden widths of the hidden layers; empty for a single linear layer
 * @param dropout dropout probability before each linear layer after the first; 0 for none
 */
public record HeadSpec(List<Integer> hidden, float dropout) {

    public HeadSpec {
        hidden = List.copyOf(hidden);
        if (dropout < 0 || dropout >= 1) {
            throw new IllegalArgumentException("dropout must be in [0, 1): " + dropout);
        }
    }

    /** The classic recipe's head: Linear(F, 500) - ReLU - Linear(500, C) - LogSoftmax. */
    public static HeadSpec classic() {
        return new HeadSpec(List.of(500), 0f);
    }

    /**
     * Parses the CLI form: {@code 500}, {@code 512,256} or {@code linear}.
     *
     * @throws IllegalArgumentException naming the bad value
     */
    public static HeadSpec parse(String text, float dropout) {
        if (text.equalsIgnoreCase("linear")) {
            return new HeadSpec(List.of(), dropout);
        }
        List<Integer> widths = new ArrayList<>();
        for (String part : text.split(",")) {
            try {
                int w = Integer.parseInt(part.trim());
                if (w <= 0) {
                    throw new NumberFormatException();
                }
                widths.add(w);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--head '" + text
                        + "': expected hidden widths like 500 or 512,256, or 'linear'");
            }
        }
        return new HeadSpec(widths, dropout);
    }

    /** The CLI form of this head. */
    public String text() {
        if (hidden.isEmpty()) {
            return "linear";
        }
        return String.join(",", hidden.stream().map(String::valueOf).toList());
    }
}
