package org.transfer4j.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.transfer4j.SharedData;
import org.transfer4j.TestRequirements;

/**
 * Runs {@code python/preprocess_reference.py} (PIL + torchvision) on image files and reads back what
 * PIL decoded and the tensor torchvision made.
 */
final class TorchvisionReference {

    /** One image as PIL decoded it and torchvision preprocessed it. */
    record Image(Path file, BufferedImage pilRgb, float[] tensor) {
    }

    private TorchvisionReference() {
    }

    /** Runs the script with the given recipe ("imagenet" or "tf224"); skips the test without Python ({@link TestRequirements}). */
    static List<Image> run(Path workDir, String recipe, List<Path> files) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of(workDir.toString(), recipe));
        files.forEach(f -> args.add(f.toString()));
        python("preprocess_reference.py", args);
        JsonNode meta = new ObjectMapper().readTree(workDir.resolve("meta.json").toFile());
        List<Image> out = new ArrayList<>();
        for (int i = 0; i < meta.size(); i++) {
            int w = meta.get(i).get("width").asInt();
            int h = meta.get(i).get("height").asInt();
            byte[] rgb = Files.readAllBytes(workDir.resolve(i + ".rgb"));
            BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
            int[] px = ((DataBufferInt) img.getRaster().getDataBuffer()).getData();
            for (int k = 0; k < px.length; k++) {
                px[k] = (rgb[3 * k] & 0xFF) << 16 | (rgb[3 * k + 1] & 0xFF) << 8 | (rgb[3 * k + 2] & 0xFF);
            }
            ByteBuffer fb = ByteBuffer.wrap(Files.readAllBytes(workDir.resolve(i + ".f32"))).order(ByteOrder.LITTLE_ENDIAN);
            float[] tensor = new float[fb.remaining() / 4];
            fb.asFloatBuffer().get(tensor);
            out.add(new Image(Path.of(meta.get(i).get("file").asText()), img, tensor));
        }
        return out;
    }

    /**
     * Runs a script of {@code src/test/resources/python} with Debian's python3 and returns its
     * standard output; skips the test when that Python or its torchvision is missing
     * ({@link TestRequirements}).
     */
    static String python(String script, List<String> args) throws IOException, InterruptedException {
        Path python = Path.of(SharedData.python());
        TestRequirements.require(Files.isExecutable(python), python + " (apt-get install python3)");
        List<String> cmd = new ArrayList<>(List.of(python.toString(), script(script).toString()));
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(script + " timed out");
        }
        if (p.exitValue() != 0) {
            Process probe = new ProcessBuilder(python.toString(), "-c", "import torchvision, PIL").start();
            TestRequirements.require(probe.waitFor() == 0,
                    "torchvision and PIL for " + python + " (apt-get install python3-torchvision python3-pil)");
            throw new IOException(script + " failed with exit code " + p.exitValue() + "; run it by hand to see why: "
                    + String.join(" ", cmd));
        }
        return out;
    }

    private static Path script(String name) throws IOException {
        try {
            return Path.of(TorchvisionReference.class.getResource("/python/" + name).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IOException("test resource python/" + name + " is missing", e);
        }
    }
}
