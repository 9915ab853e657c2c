package org.transfer4j.exec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The activation ranges an int8 model is quantized with, measured on a seeded sample of training
 * images, and how they were measured. Stored as JSON with the feature cache and in the model bundle, so
 * the features a head trains on and the bundle's predictions come from the same int8 network.
 *
 * @param method how a range is taken from the observed values
 * @param images how many images were observed
 * @param seed the seed that chose the images (and, for percentiles, the sampled values)
 * @param ranges value name to {min, max}, in the network's order
 */
public record Calibration(Method method, int images, long seed, Map<String, float[]> ranges) {

    /** How a range is taken from the observed values. */
    public enum Method {
        /** The smallest and largest value seen. */
        MINMAX,
        /** The 0.01 % and 99.99 % quantiles of a seeded sample of the values (outliers clipped). */
        PERCENTILE;

        /**
         * Reads {@code minmax} or {@code percentile}.
         *
         * @throws IllegalArgumentException naming the value and the accepted ones
         */
        public static Method parse(String text) {
            for (Method m : values()) {
                if (m.name().equalsIgnoreCase(text == null ? "" : text.trim())) {
                    return m;
                }
            }
            throw new IllegalArgumentException("--calibration must be minmax or percentile, got '" + text + "'");
        }
    }

    /**
     * How to calibrate.
     *
     * @param method minmax (default) or percentile
     * @param images training images to observe (default 256; fewer when the training split is smaller)
     * @param seed chooses the images
     */
    public record Settings(Method method, int images, long seed) {

        /** Default number of calibration images. */
        public static final int DEFAULT_IMAGES = 256;

        public Settings {
            if (images < 1) {
                throw new IllegalArgumentException("--calibration-images must be at least 1, got " + images);
            }
        }

        /** Min-max over 256 images chosen with seed 42. */
        public static Settings defaults() {
            return new Settings(Method.MINMAX, DEFAULT_IMAGES, 42);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public Calibration {
        Map<String, float[]> copy = new LinkedHashMap<>();
        ranges.forEach((k, v) -> copy.put(k, new float[] {v[0], v[1]}));
        ranges = Collections.unmodifiableMap(copy);
    }

    /** The range of a value, if calibrated. */
    public Optional<float[]> range(String value) {
        float[] r = ranges.get(value);
        return r == null ? Optional.empty() : Optional.of(r.clone());
    }

    /** A short hash of the method and every range: part of the feature cache key of int8 features. */
    public String id() {
        return sha256(toJson()).substring(0, 16);
    }

    /** The calibration as JSON text. */
    public byte[] toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("method", method.name().toLowerCase(Locale.ROOT));
        root.put("images", images);
        root.put("seed", seed);
        ObjectNode values = root.putObject("ranges");
        ranges.forEach((k, v) -> {
            ArrayNode pair = values.putArray(k);
            pair.add(v[0]);
            pair.add(v[1]);
        });
        try {
            return JSON.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads {@link #toJson()}'s text.
     *
     * @throws IllegalArgumentException when it is not a calibration
     */
    public static Calibration fromJson(byte[] json) {
        try {
            JsonNode root = JSON.readTree(json);
            Map<String, float[]> ranges = new LinkedHashMap<>();
            Iterator<Map.Entry<String, JsonNode>> it = root.get("ranges").fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                ranges.put(e.getKey(), new float[] {e.getValue().get(0).floatValue(), e.getValue().get(1).floatValue()});
            }
            return new Calibration(Method.parse(root.get("method").asText()), root.get("images").asInt(),
                    root.get("seed").asLong(), ranges);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("not a calibration file: " + e.getMessage(), e);
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s over %d images (seed %d), %d activation ranges",
                method.name().toLowerCase(Locale.ROOT), images, seed, ranges.size());
    }
}
