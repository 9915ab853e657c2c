package org.transfer4j.exec;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import java.io.PrintStream;
import java.util.Locale;

/**
 * Where a network runs: {@code cpu}, {@code cuda} ({@code cuda:N} for the N-th GPU) or {@code auto}
 * (a GPU when one can be used, else the CPU, saying so). {@link #resolve} turns {@code auto} into
 * what is available and checks that {@code cuda} is: ONNX Runtime's CUDA execution provider for
 * inference (in the {@code onnxruntime_gpu} artifact that the build's {@code -Pcuda} profile selects),
 * and DJL's CUDA libtorch for training.
 *
 * @param kind cpu, cuda or auto
 * @param index the GPU's index for cuda (0 unless given)
 */
public record Device(Kind kind, int index) {

    /** The kinds of device. */
    public enum Kind { CPU, CUDA, AUTO }

    /** What {@code --device} accepts, for messages. */
    public static final String CHOICES = "cpu, cuda, cuda:N or auto";

    public Device {
        if (index < 0) {
            throw new IllegalArgumentException("--device cuda:N needs N >= 0, got " + index);
        }
    }

    /** The CPU. */
    public static Device cpu() {
        return new Device(Kind.CPU, 0);
    }

    /**
     * Parses {@code cpu}, {@code cuda}, {@code cuda:N} or {@code auto}.
     *
     * @throws IllegalArgumentException naming the value and the choices
     */
    public static Device parse(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        if (t.equals("cpu")) {
            return cpu();
        }
        if (t.equals("auto")) {
            return new Device(Kind.AUTO, 0);
        }
        if (t.equals("cuda")) {
            return new Device(Kind.CUDA, 0);
        }
        if (t.startsWith("cuda:")) {
            try {
                return new Device(Kind.CUDA, Integer.parseInt(t.substring(5)));
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        throw new IllegalArgumentException("--device must be " + CHOICES + ", got '" + text + "'");
    }

    /** Whether this is a GPU. */
    public boolean isCuda() {
        return kind == Kind.CUDA;
    }

    /**
     * The device inference will use: {@code auto} becomes {@code cuda:0} when ONNX Runtime's CUDA
     * provider loads, else {@code cpu} (said on {@code log}); {@code cuda} is checked.
     *
     * @param training whether libtorch (DJL) must reach the GPU too
     * @throws IllegalArgumentException for {@code cuda} where it cannot be used, naming what is missing
     */
    public Device resolve(boolean training, PrintStream log) {
        if (kind == Kind.CPU) {
            return this;
        }
        String missing = whyNoCuda(index, training);
        if (kind == Kind.CUDA) {
            if (missing != null) {
                throw new IllegalArgumentException("--device " + this + ": " + missing);
            }
            return this;
        }
        if (missing != null) {
            log.println("device auto: using the CPU (" + missing + ")");
            return cpu();
        }
        Device gpu = new Device(Kind.CUDA, 0);
        log.println("device auto: using " + gpu + " (ONNX Runtime CUDA execution provider"
                + (training ? ", DJL CUDA libtorch" : "") + ")");
        return gpu;
    }

    /** Why GPU {@code index} cannot be used, or null when it can. */
    static String whyNoCuda(int index, boolean training) {
        if (!OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA)) {
            return "no CUDA execution provider in this build's ONNX Runtime (com.microsoft.onnxruntime:onnxruntime, "
                    + "CPU only); build with 'mvn -Pcuda' (onnxruntime_gpu) on a machine with an NVIDIA driver, CUDA 12 "
                    + "and cuDNN 9";
        }
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.addCUDA(index);
        } catch (OrtException | RuntimeException e) {
            return "ONNX Runtime's CUDA execution provider did not load for GPU " + index + " (" + e.getMessage()
                    + "); check the NVIDIA driver, CUDA 12 and cuDNN 9 libraries (LD_LIBRARY_PATH)";
        }
        if (training) {
            int gpus = DjlEngine.gpuCount();
            if (gpus <= index) {
                return "DJL's libtorch sees " + gpus + " GPU" + (gpus == 1 ? "" : "s") + " (the default build has the CPU "
                        + "libtorch, pytorch-native-cpu); for training on a GPU build with -P!pytorch-cpu and set "
                        + "PYTORCH_LIBRARY_PATH to a CUDA libtorch 2.7.1";
            }
        }
        return null;
    }

    /** Sets ONNX Runtime session options for this (resolved) device. */
    void configure(OrtSession.SessionOptions options) throws OrtException {
        if (kind == Kind.AUTO) {
            throw new IllegalStateException("resolve 'auto' before opening a session");
        }
        if (kind == Kind.CUDA) {
            options.addCUDA(index);
        }
    }

    @Override
    public String toString() {
        return switch (kind) {
            case CPU -> "cpu";
            case AUTO -> "auto";
            case CUDA -> "cuda:" + index;
        };
    }
}
