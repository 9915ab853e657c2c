package org.transfer4j.weights;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import net.razorvine.pickle.IObjectConstructor;
import net.razorvine.pickle.Opcodes;
import net.razorvine.pickle.PickleException;
import net.razorvine.pickle.PickleUtils;
import net.razorvine.pickle.Unpickler;

/**
 * Reads the {@code data.pkl} of a {@code torch.save} archive without executing anything: the only
 * globals it resolves are the handful that describe tensors ({@code torch._utils._rebuild_tensor_v2},
 * the typed storage classes, {@code collections.OrderedDict}, {@code torch._utils._rebuild_parameter}).
 * Any other global, and the opcodes that could reach one by another road, fail with a
 * {@link WeightsException} naming the global and the file. Tensors come back as {@link TensorRef}s
 * whose bytes the caller reads from the archive's {@code data/} folder.
 *
 * <p>The constructors are kept per instance rather than registered in razorvine's process-wide
 * table, so no other unpickler in the JVM is widened or narrowed by this one. A subclass may accept a
 * few more named globals ({@link TorchScriptUnpickler}); it cannot reach razorvine's defaults.
 */
class TorchUnpickler extends Unpickler {

    /** A storage named by its key in the archive's {@code data/} folder. */
    record StorageRef(String key, DType dtype, long numel) {
    }

    /** A view on a storage: element offset, shape and strides (in elements). */
    record TensorRef(StorageRef storage, long offset, long[] shape, long[] stride) {
    }

    private static final Map<String, DType> STORAGES = Map.ofEntries(
            Map.entry("torch.FloatStorage", DType.F32),
            Map.entry("torch.HalfStorage", DType.F16),
            Map.entry("torch.BFloat16Storage", DType.BF16),
            Map.entry("torch.DoubleStorage", DType.F64),
            Map.entry("torch.LongStorage", DType.I64),
            Map.entry("torch.IntStorage", DType.I32),
            Map.entry("torch.ShortStorage", DType.I16),
            Map.entry("torch.CharStorage", DType.I8),
            Map.entry("torch.ByteStorage", DType.U8),
            Map.entry("torch.BoolStorage", DType.BOOL));

    private final String source;
    private final Map<String, IObjectConstructor> constructors = Map.of(
            "collections.OrderedDict", this::orderedDict,
            "torch._utils._rebuild_tensor_v2", this::rebuildTensor,
            "torch._utils._rebuild_parameter", this::rebuildParameter,
            "torch._utils._rebuild_parameter_with_state", this::rebuildParameter);

    /** @param source what to name in error messages: the archive and its pickle */
    TorchUnpickler(String source) {
        this.source = source;
    }

    @Override
    protected Object dispatch(short key) throws PickleException, IOException {
        switch (key) {
            case Opcodes.GLOBAL -> {
                String module = PickleUtils.readline(input);
                String name = PickleUtils.readline(input);
                stack.add(resolve(module, name));
                return NO_RETURN_VALUE;
            }
            case Opcodes.STACK_GLOBAL -> {
                Object name = stack.pop();
                Object module = stack.pop();
                stack.add(resolve(String.valueOf(module), String.valueOf(name)));
                return NO_RETURN_VALUE;
            }
            case Opcodes.BUILD -> {
                Object state = stack.pop();
                build(stack.peek(), state);
                return NO_RETURN_VALUE;
            }
            case Opcodes.INST, Opcodes.EXT1, Opcodes.EXT2, Opcodes.EXT4 ->
                    throw new WeightsException("forbidden pickle opcode " + key + " in " + source
                            + "; a torch state_dict never needs it, so the file is not one (or was tampered with)");
            default -> {
                return super.dispatch(key);
            }
        }
    }

    @Override
    protected Object persistentLoad(Object pid) {
        if (!(pid instanceof Object[] t) || t.length < 5 || !"storage".equals(t[0])
                || !(t[1] instanceof DType dtype) || !(t[4] instanceof Number numel)) {
            throw corrupt("unexpected persistent id " + describe(pid));
        }
        return new StorageRef(String.valueOf(t[2]), dtype, numel.longValue());
    }

    /**
     * Sets an object's state (pickle's BUILD). Here only an OrderedDict's attributes (a state_dict's
     * {@code _metadata}) arrive, and they are dropped.
     */
    protected void build(Object target, Object state) {
        if (!(target instanceof Map)) {
            throw corrupt("BUILD on a " + typeName(target));
        }
    }

    /**
     * What a global names: a storage type ({@link DType}) or an accepted constructor.
     *
     * @throws WeightsException for any other global
     */
    protected Object resolve(String module, String name) {
        String qualified = module + "." + name;
        DType storage = STORAGES.get(qualified);
        if (storage != null) {
            return storage;
        }
        IObjectConstructor c = constructors.get(qualified);
        if (c == null) {
            throw new WeightsException("forbidden global '" + qualified + "' in " + source
                    + "; only tensors and plain containers are loaded, never pickled code."
                    + " Re-save just the weights in Python: torch.save(model.state_dict(), path)");
        }
        return c;
    }

    private Object orderedDict(Object[] args) {
        if (args.length != 0) {
            throw corrupt("OrderedDict built from arguments");
        }
        return new LinkedHashMap<Object, Object>();
    }

    /** {@code _rebuild_tensor_v2(storage, offset, size, stride, ...)}. */
    protected Object rebuildTensor(Object[] args) {
        if (args.length < 4 || !(args[0] instanceof StorageRef storage) || !(args[1] instanceof Number offset)
                || !(args[2] instanceof Object[] size) || !(args[3] instanceof Object[] stride)) {
            throw corrupt("_rebuild_tensor_v2 called with " + describe(args));
        }
        return new TensorRef(storage, offset.longValue(), longs(size), longs(stride));
    }

    private Object rebuildParameter(Object[] args) {
        if (args.length < 1 || !(args[0] instanceof TensorRef)) {
            throw corrupt("_rebuild_parameter called with " + describe(args));
        }
        return args[0];
    }

    /** Sizes or strides as longs. */
    protected long[] longs(Object[] values) {
        long[] out = new long[values.length];
        for (int i = 0; i < values.length; i++) {
            if (!(values[i] instanceof Number n)) {
                throw corrupt("tensor size or stride holds " + describe(values[i]));
            }
            out[i] = n.longValue();
        }
        return out;
    }

    /** An error saying the pickle is not what this unpickler reads, and why. */
    protected WeightsException corrupt(String what) {
        return new WeightsException(source + " is not a " + kind() + " pickle: " + what);
    }

    /** What this unpickler reads, for messages. */
    protected String kind() {
        return "torch state_dict";
    }

    /** The archive and pickle named in messages. */
    protected String source() {
        return source;
    }

    static String typeName(Object o) {
        return o == null ? "None" : o.getClass().getSimpleName();
    }

    static String describe(Object o) {
        if (o instanceof Object[] a) {
            StringBuilder b = new StringBuilder("(");
            for (int i = 0; i < a.length; i++) {
                b.append(i == 0 ? "" : ", ").append(typeName(a[i]));
            }
            return b.append(")").toString();
        }
        return typeName(o);
    }
}
