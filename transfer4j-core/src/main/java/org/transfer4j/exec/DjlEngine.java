package org.transfer4j.exec;

import ai.djl.engine.Engine;
import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;

/**
 * Starts DJL's PyTorch engine (libtorch) without touching the network and hands out root
 * {@link NDManager}s on it. The first start unpacks about 430 MB of native libraries into
 * {@code DJL_CACHE_DIR} (default {@code ~/.djl.ai}), which takes some ten seconds.
 */
public final class DjlEngine {

    /** DJL's name of the engine transfer4j trains with. */
    public static final String NAME = "PyTorch";
    private static final String OFFLINE = "ai.djl.offline";
    /** DJL's PyTorch provider does not guard against two threads starting the engine at once. */
    private static final Object START = new Object();
    /**
     * libtorch's grad mode is per thread and on by default; DJL turns it off only on the thread that
     * starts the engine. Outside a gradient collector it must be off, or in-place updates of trainable
     * parameters fail, so every thread that uses the engine turns it off on first use.
     */
    private static final ThreadLocal<Boolean> READY = ThreadLocal.withInitial(() -> false);

    private DjlEngine() {
    }

    /**
     * The PyTorch engine, started on first use. Sets {@code ai.djl.offline=true} unless the caller
     * chose a value, so that DJL never probes the network.
     *
     * @throws IllegalStateException explaining where libtorch is looked for when it does not start
     */
    public static Engine get() {
        Engine engine;
        synchronized (START) {
            if (System.getProperty(OFFLINE) == null) {
                System.setProperty(OFFLINE, "true");
            }
            engine = start();
        }
        if (!READY.get()) {
            JniUtils.setGradMode(false);
            READY.set(true);
        }
        return engine;
    }

    /**
     * Starts the engine on a background thread, so that loading libtorch (about a second) overlaps
     * other work; {@link #get} waits for it. A failure surfaces at the next {@link #get}.
     */
    public static void startInBackground() {
        Thread starter = new Thread(() -> {
            try {
                get();
            } catch (IllegalStateException e) {
                // get() on the caller's thread will fail again and explain
            }
        }, "libtorch-start");
        starter.setDaemon(true);
        starter.start();
    }

    private static Engine start() {
        try {
            return Engine.getEngine(NAME);
        } catch (EngineException | IllegalArgumentException e) {
            throw new IllegalStateException("DJL's PyTorch engine did not start (" + e.getMessage()
                    + "). libtorch is unpacked from the pytorch-native-cpu jar into DJL_CACHE_DIR"
                    + " (default ~/.djl.ai, about 430 MB): check that the jar is on the class path and"
                    + " the directory is writable, or point PYTORCH_LIBRARY_PATH at a libtorch 2.7.1.", e);
        }
    }

    /** Where new managers put their arrays; null for the engine's default (a GPU when libtorch sees one). */
    private static volatile ai.djl.Device trainingDevice;

    /**
     * Where libtorch computes from now on in this JVM: the run's resolved {@code --device} ({@code cpu}
     * keeps a CUDA libtorch off the GPU).
     */
    public static void use(Device device) {
        trainingDevice = device.isCuda() ? ai.djl.Device.gpu(device.index()) : ai.djl.Device.cpu();
    }

    /** A new root manager on the device of {@link #use} (else the engine's default); the caller owns and closes it. */
    public static NDManager newManager() {
        ai.djl.Device device = trainingDevice;
        return device == null ? get().newBaseManager() : get().newBaseManager(device);
    }

    /** GPUs libtorch can use (0 with the default CPU build). */
    public static int gpuCount() {
        return get().getGpuCount();
    }
}
