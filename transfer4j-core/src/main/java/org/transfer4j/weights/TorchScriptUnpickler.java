package org.transfer4j.weights;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.razorvine.pickle.IObjectConstructor;

/**
 * Reads the {@code data.pkl} of a TorchScript archive of a quantized model ({@code torch.jit.save} of
 * torchvision's quantized MobileNetV2) without executing anything. On top of {@link TorchUnpickler}'s
 * tensor globals it accepts, by name, only what such an archive holds:
 * <ul>
 *   <li>the module classes of the quantized MobileNetV2 (their {@code ___torch_mangle_N} part
 *       ignored), which become inert {@link ScriptObject}s: a type name and an attribute map. Their
 *       TorchScript code ({@code code/}) is never read;</li>
 *   <li>the packed parameters {@code Conv2dPackedParamsBase} and {@code LinearPackedParamsBase}, kept as
 *       {@link PackedParams} holding their pickled state;</li>
 *   <li>{@code torch._utils._rebuild_qtensor} with {@code torch.QInt8Storage} and the quantization
 *       schemes {@code per_tensor_affine} and {@code per_channel_affine};</li>
 *   <li>TorchScript's {@code build_tensorlist} and {@code restore_type_tag}, which only wrap lists.</li>
 * </ul>
 * Any other global fails with a {@link WeightsException} naming it.
 */
final class TorchScriptUnpickler extends TorchUnpickler {

    /** A TorchScript module: its class (mangling removed) and its attributes. */
    record ScriptObject(String type, Map<String, Object> attributes) {
    }

    /** A packed-parameters object ({@code Conv2dPackedParamsBase}, ...) and the state pickled for it. */
    static final class PackedParams {
        private final String type;
        private Object state;

        PackedParams(String type) {
            this.type = type;
        }

        String type() {
            return type;
        }

        Object state() {
            return state;
        }
    }

    /**
     * A quantized tensor: its int8 values and how they map to floats.
     *
     * @param values the int8 values (a view on a {@code QInt8Storage})
     * @param scale the scale when per tensor
     * @param zeroPoint the zero point when per tensor
     * @param scales per-channel scales (float64 values), or null when per tensor
     * @param zeroPoints per-channel zero points (int64 values), or null when per tensor
     * @param axis the channel axis when per channel, else -1
     */
    record QTensorRef(TensorRef values, double scale, long zeroPoint, TensorRef scales, TensorRef zeroPoints,
                      int axis) {
    }

    /** Quantization schemes a qtensor names. */
    enum QScheme { PER_TENSOR_AFFINE, PER_CHANNEL_AFFINE }

    private static final Set<String> MODULES = Set.of(
            "__torch__.torchvision.models.quantization.mobilenet.QuantizableMobileNetV2",
            "__torch__.torch.nn.modules.container.Sequential",
            "__torch__.torch.nn.quantized.modules.linear.Linear",
            "__torch__.torch.nn.quantized.modules.linear.LinearPackedParams");
    private static final Set<String> PACKED = Set.of(
            "__torch__.torch.classes.quantized.Conv2dPackedParamsBase",
            "__torch__.torch.classes.quantized.LinearPackedParamsBase");

    private final Map<String, Object> globals = Map.of(
            "torch.QInt8Storage", DType.I8,
            "torch.per_tensor_affine", QScheme.PER_TENSOR_AFFINE,
            "torch.per_channel_affine", QScheme.PER_CHANNEL_AFFINE,
            "torch._utils._rebuild_qtensor", (IObjectConstructor) this::rebuildQTensor,
            "torch.jit._pickle.build_tensorlist", (IObjectConstructor) this::buildTensorList,
            "torch.jit._pickle.restore_type_tag", (IObjectConstructor) this::restoreTypeTag);

    /** @param source what to name in error messages: the archive and its pickle */
    TorchScriptUnpickler(String source) {
        super(source);
    }

    @Override
    protected Object resolve(String module, String name) {
        String qualified = module.replaceAll("\\.___torch_mangle_\\d+", "") + "." + name;
        if (MODULES.contains(qualified)) {
            return (IObjectConstructor) args -> new ScriptObject(qualified, new LinkedHashMap<>());
        }
        if (PACKED.contains(qualified)) {
            return (IObjectConstructor) args -> new PackedParams(qualified);
        }
        Object global = globals.get(qualified);
        return global != null ? global : super.resolve(module, name);
    }

    @Override
    protected void build(Object target, Object state) {
        if (target instanceof ScriptObject module && state instanceof Map<?, ?> attributes) {
            attributes.forEach((k, v) -> module.attributes().put(String.valueOf(k), v));
        } else if (target instanceof PackedParams packed && packed.state == null) {
            packed.state = state;
        } else if (!(target instanceof Map)) {
            throw corrupt("BUILD of a " + typeName(state) + " on a " + typeName(target));
        }
    }

    @Override
    protected String kind() {
        return "TorchScript quantized-model";
    }

    /** {@code _rebuild_qtensor(storage, offset, size, stride, quantizer_params, requires_grad, hooks)}. */
    private Object rebuildQTensor(Object[] args) {
        if (args.length < 5 || !(args[4] instanceof Object[] q) || q.length < 3 || !(q[0] instanceof QScheme scheme)) {
            throw corrupt("_rebuild_qtensor called with " + describe(args));
        }
        TensorRef values = (TensorRef) rebuildTensor(new Object[] {args[0], args[1], args[2], args[3]});
        if (values.storage().dtype() != DType.I8) {
            throw corrupt("a quantized tensor of " + values.storage().dtype() + " (only qint8 weights are read)");
        }
        if (scheme == QScheme.PER_TENSOR_AFFINE && q[1] instanceof Number scale && q[2] instanceof Number zero) {
            return new QTensorRef(values, scale.doubleValue(), zero.longValue(), null, null, -1);
        }
        if (scheme == QScheme.PER_CHANNEL_AFFINE && q.length >= 4 && q[1] instanceof TensorRef scales
                && q[2] instanceof TensorRef zeros && q[3] instanceof Number axis) {
            return new QTensorRef(values, Double.NaN, 0, scales, zeros, axis.intValue());
        }
        throw corrupt("quantizer parameters " + describe(q) + " for " + scheme);
    }

    private Object buildTensorList(Object[] args) {
        if (args.length != 1 || !(args[0] instanceof List<?> list)) {
            throw corrupt("build_tensorlist called with " + describe(args));
        }
        return new ArrayList<>(list);
    }

    private Object restoreTypeTag(Object[] args) {
        if (args.length != 2 || !(args[1] instanceof String)) {
            throw corrupt("restore_type_tag called with " + describe(args));
        }
        return args[0];
    }
}
