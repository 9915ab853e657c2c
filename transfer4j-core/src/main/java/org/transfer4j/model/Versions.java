package org.transfer4j.model;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** Versions read at run time: transfer4j's from the build, the libraries' from what is loaded. */
public final class Versions {

    private Versions() {
    }

    /** transfer4j's version, written into the jar by the Maven build. */
    public static String transfer4j() {
        try (InputStream in = Versions.class.getResourceAsStream("/org/transfer4j/transfer4j.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** DJL's version. */
    public static String djl() {
        return ai.djl.engine.Engine.getDjlVersion();
    }

    /** The libtorch version of DJL's PyTorch engine (loads it when it is not loaded yet). */
    public static String libtorch() {
        return org.transfer4j.exec.DjlEngine.get().getVersion();
    }

    /** ONNX Runtime's version. */
    public static String onnxRuntime() {
        return ai.onnxruntime.OrtEnvironment.getEnvironment().getVersion();
    }
}
