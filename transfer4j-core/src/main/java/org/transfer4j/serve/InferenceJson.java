package org.transfer4j.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import org.transfer4j.model.ImageClassifier;
import org.transfer4j.model.Manifest;
import org.transfer4j.model.Prediction;

/**
 * The JSON shapes of the Open Inference Protocol (KServe v2 / Triton) for an image classifier: the
 * model metadata, the images of an infer request (base64 {@code BYTES}), and the infer response with
 * the classification extension ({@code "<probability>:<index>:<label>"} strings).
 */
final class InferenceJson {

    static final String INPUT = "image";
    static final String PROBABILITIES = "probabilities";
    static final String UNKNOWN = "unknown";
    static final String UNKNOWN_SCORE = "unknown_score";
    static final String NEAREST_CLASS = "nearest_class";
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private InferenceJson() {
    }

    /** {@code GET /v2/models/{name}}. */
    static ObjectNode metadata(String name, ImageClassifier model) {
        Manifest m = model.manifest();
        int classes = m.classes().size();
        ObjectNode o = F.objectNode().put("name", name).put("platform", "transfer4j_onnx");
        o.putArray("versions").add("1");
        o.putArray("inputs").add(tensor(INPUT, "BYTES", -1));
        ArrayNode outputs = o.putArray("outputs");
        outputs.add(tensor(PROBABILITIES, "FP32", -1, classes));
        if (model.unknownRule() != null) {
            outputs.add(tensor(UNKNOWN, "BOOL", -1)).add(tensor(UNKNOWN_SCORE, "FP32", -1))
                    .add(tensor(NEAREST_CLASS, "BYTES", -1));
        }
        ArrayNode names = o.putArray("classes");
        m.classes().forEach(names::add);
        ObjectNode parameters = o.putObject("parameters");
        parameters.put("backbone", m.backbone().weightSet());
        if (m.run() != null && m.run().test() != null) {
            parameters.put("test_accuracy", m.run().test().accuracy());
        }
        if (m.provenance() != null) {
            parameters.put("created", m.provenance().created());
        }
        if (model.unknownRule() != null) {
            parameters.put("unknown_threshold", model.unknownRule().threshold());
        }
        return o;
    }

    private static ObjectNode tensor(String name, String datatype, long... shape) {
        ObjectNode t = F.objectNode().put("name", name).put("datatype", datatype);
        ArrayNode s = t.putArray("shape");
        for (long d : shape) {
            s.add(d);
        }
        return t;
    }

    /**
     * The encoded images of an infer request: every element of every {@code BYTES} input, base64-decoded.
     *
     * @throws HttpError 400 naming what is malformed
     */
    static List<byte[]> images(JsonNode request) {
        JsonNode inputs = request.get("inputs");
        if (inputs == null || !inputs.isArray() || inputs.isEmpty()) {
            throw new HttpError(400, "the request needs \"inputs\": [{\"name\": \"image\", \"datatype\": \"BYTES\", "
                    + "\"shape\": [1], \"data\": [\"<base64 image>\"]}]");
        }
        List<byte[]> images = new ArrayList<>();
        for (JsonNode input : inputs) {
            String name = input.path("name").asText("?");
            String datatype = input.path("datatype").asText("");
            if (!datatype.equals("BYTES")) {
                throw new HttpError(400, "input '" + name + "' has datatype '" + datatype + "'; this model takes "
                        + "encoded images as BYTES (base64 strings)");
            }
            JsonNode data = input.get("data");
            if (data == null || !data.isArray() || data.isEmpty()) {
                throw new HttpError(400, "input '" + name + "' needs \"data\": a non-empty array of base64 strings");
            }
            for (JsonNode element : data) {
                if (!element.isTextual()) {
                    throw new HttpError(400, "input '" + name + "' element " + images.size() + " is not a base64 string");
                }
                try {
                    images.add(Base64.getMimeDecoder().decode(element.asText()));
                } catch (IllegalArgumentException e) {
                    throw new HttpError(400, "input '" + name + "' element " + images.size() + " is not valid base64: "
                            + e.getMessage());
                }
            }
        }
        return images;
    }

    /** The classification extension's k: on the request's or the probabilities output's parameters; 0 when absent. */
    static int classification(JsonNode request, int classes) {
        JsonNode k = request.path("parameters").get("classification");
        for (JsonNode output : request.path("outputs")) {
            if (output.path("parameters").has("classification")) {
                k = output.path("parameters").get("classification");
            }
        }
        if (k == null) {
            return 0;
        }
        if (!k.canConvertToInt() || k.asInt() < 1) {
            throw new HttpError(400, "parameter classification must be a whole number of classes, at least 1, got " + k);
        }
        return Math.min(k.asInt(), classes);
    }

    /** {@code POST /v2/models/{name}/infer}'s answer. */
    static ObjectNode response(String name, JsonNode request, List<Prediction> predictions, int classes, int k) {
        ObjectNode o = F.objectNode().put("model_name", name).put("model_version", "1");
        if (request.hasNonNull("id")) {
            o.put("id", request.get("id").asText());
        }
        ArrayNode outputs = o.putArray("outputs");
        int n = predictions.size();
        if (k > 0) {
            ObjectNode t = tensor(PROBABILITIES, "BYTES", n, k);
            ArrayNode data = t.putArray("data");
            for (Prediction p : predictions) {
                p.top().subList(0, k).forEach(s -> data.add(String.format(Locale.ROOT, "%f:%d:%s", s.probability(),
                        s.index(), s.label())));
            }
            outputs.add(t);
        } else {
            ObjectNode t = tensor(PROBABILITIES, "FP32", n, classes);
            ArrayNode data = t.putArray("data");
            for (Prediction p : predictions) {
                for (double v : byIndex(p, classes)) {
                    data.add((float) v);
                }
            }
            outputs.add(t);
        }
        if (!predictions.isEmpty() && predictions.get(0).verdict() != null) {
            ObjectNode unknown = tensor(UNKNOWN, "BOOL", n);
            ObjectNode score = tensor(UNKNOWN_SCORE, "FP32", n);
            ObjectNode nearest = tensor(NEAREST_CLASS, "BYTES", n);
            outputs.add(unknown).add(score).add(nearest);
            ArrayNode unknownData = unknown.putArray("data");
            ArrayNode scoreData = score.putArray("data");
            ArrayNode nearestData = nearest.putArray("data");
            for (Prediction p : predictions) {
                unknownData.add(p.isUnknown());
                scoreData.add((float) p.verdict().score());
                nearestData.add(p.verdict().nearestClass());
            }
        }
        return o;
    }

    /** {@code POST /predictions/{name}}'s answer: top-k with the unknown verdict. */
    static ObjectNode prediction(Prediction p, int k) {
        ObjectNode o = F.objectNode().put("label", p.isUnknown() ? UNKNOWN : p.label())
                .put("class", p.label()).put("probability", p.probability());
        if (p.verdict() != null) {
            o.put("unknown", p.isUnknown()).put("unknown_score", p.verdict().score())
                    .put("threshold", p.verdict().threshold()).put("nearest_class", p.verdict().nearestClass());
        }
        ArrayNode top = o.putArray("top");
        p.top().subList(0, Math.min(k, p.top().size())).forEach(s -> top.addObject().put("label", s.label())
                .put("index", s.index()).put("probability", s.probability()));
        return o;
    }

    /** Class probabilities in class-index order. */
    static double[] byIndex(Prediction p, int classes) {
        double[] v = new double[classes];
        p.top().forEach(s -> v[s.index()] = s.probability());
        return v;
    }
}
