package org.transfer4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.transfer4j.SharedData;
import org.transfer4j.model.ModelBundle;
import org.transfer4j.train.Checkpoint;

/**
 * Issue 4, "must show" 3: {@code train --mode finetune}, run by the real command line in a child JVM,
 * is killed with SIGKILL in the middle of its second fine-tuning epoch ({@link Process#destroyForcibly()}
 * sends SIGKILL on Linux: no shutdown hooks, no finally blocks run). It leaves only its epoch-1
 * checkpoint (no half-written bundle, no temporary files); {@code train --resume RUN_DIR} then finishes
 * with metrics, history and head weights bit-identical to an uninterrupted run with the same seed.
 *
 * <p>Bit equality holds because every source of difference is pinned: features come from the cache
 * (float32 written and read exactly), the head stage is re-run with the same seed, the fine-tuning
 * shuffle depends only on (seed, epoch), the default head has no dropout, Adam's moments and step
 * count are restored, and libtorch on CPU with the same thread count is deterministic.
 */
@Tag("slow")
class ResumeAfterSigkillTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int HEAD_EPOCHS = 2;
    private static final int FINETUNE_EPOCHS = 3;

    @TempDir
    Path tmp;

    @Test
    void killedRunResumesToTheSameModelAsAnUninterruptedOne() throws Exception {
        Path data = subset(SharedData.dataset("hymenoptera"), tmp.resolve("data"), 24, 10);
        String weights = SharedData.pretrained().toString();

        long t0 = System.nanoTime();
        Path whole = tmp.resolve("whole");
        Process first = train(data, weights, "--out", whole.toString());
        readLines(first);
        assertThat(first.exitValue()).isZero();
        long wholeMillis = (System.nanoTime() - t0) / 1_000_000;

        Path runDir = tmp.resolve("interrupted");
        Process victim = train(data, weights, "--out", runDir.toString());
        long afterEpochOne = waitForLine(victim, "epoch " + (HEAD_EPOCHS + 1) + "/" + (HEAD_EPOCHS + FINETUNE_EPOCHS));
        Path pointer = runDir.resolve("checkpoint").resolve(Checkpoint.POINTER);
        assertThat(pointer).as("the epoch-1 checkpoint is written before its epoch line").exists();
        victim.destroyForcibly(); // SIGKILL on Linux
        victim.waitFor();
        long killedAfter = (System.nanoTime() - afterEpochOne) / 1_000_000;
        assertThat(victim.exitValue()).as("killed by signal 9").isEqualTo(128 + 9);

        assertThat(JSON.readTree(pointer.toFile()).get("epoch").asInt())
                .as("killed during epoch 2, before its checkpoint").isEqualTo(1);
        assertThat(names(runDir)).as("no bundle, not even part of one, in RUN_DIR").containsExactly("checkpoint");
        assertThat(names(tmp)).as("no temporary bundle folder beside it")
                .containsExactly("child-stderr.log", "data", "home", "interrupted", "whole");
        assertThat(names(runDir.resolve("checkpoint"))).as("only complete checkpoint files")
                .allMatch(n -> n.equals(Checkpoint.POINTER) || n.endsWith(".safetensors"));

        long t1 = System.nanoTime();
        Process resume = train(data, weights, "--resume", runDir.toString());
        List<String> lines = readLines(resume);
        assertThat(resume.exitValue()).isZero();
        long resumeMillis = (System.nanoTime() - t1) / 1_000_000;
        assertThat(lines).as("the resumed run continues at epoch 2 of fine-tuning")
                .noneMatch(l -> l.startsWith("epoch " + (HEAD_EPOCHS + 1) + "/" + (HEAD_EPOCHS + FINETUNE_EPOCHS)))
                .anyMatch(l -> l.startsWith("epoch " + (HEAD_EPOCHS + 2) + "/" + (HEAD_EPOCHS + FINETUNE_EPOCHS)))
                .anyMatch(l -> l.startsWith("epoch " + (HEAD_EPOCHS + 3) + "/" + (HEAD_EPOCHS + FINETUNE_EPOCHS)));

        JsonNode a = metrics(whole);
        JsonNode b = metrics(runDir);
        System.out.printf("uninterrupted %d ms; killed %d ms after the epoch-1 line; resume %d ms; accuracy %s vs %s%n",
                wholeMillis, killedAfter, resumeMillis, a.get("test").get("accuracy"), b.get("test").get("accuracy"));
        assertThat(b.get("test").get("accuracy").asDouble()).isEqualTo(a.get("test").get("accuracy").asDouble());
        assertThat(b.get("test").get("balancedAccuracy").asDouble())
                .isEqualTo(a.get("test").get("balancedAccuracy").asDouble());
        assertThat(b.get("bestEpoch").asInt()).isEqualTo(a.get("bestEpoch").asInt());
        assertThat(b.get("history").size()).isEqualTo(HEAD_EPOCHS + FINETUNE_EPOCHS).isEqualTo(a.get("history").size());
        for (int i = 0; i < a.get("history").size(); i++) {
            JsonNode ea = a.get("history").get(i);
            JsonNode eb = b.get("history").get(i);
            for (String field : new String[] {"epoch", "trainLoss", "validationLoss", "validationAccuracy"}) {
                assertThat(eb.get(field).asDouble()).as("epoch %d %s", i + 1, field).isEqualTo(ea.get(field).asDouble());
            }
        }
        assertThat(Files.readAllBytes(runDir.resolve(ModelBundle.HEAD)))
                .as("head weights bit-identical").isEqualTo(Files.readAllBytes(whole.resolve(ModelBundle.HEAD)));
        assertThat(Files.readAllBytes(runDir.resolve(ModelBundle.ONNX)))
                .as("fine-tuned backbone and head bit-identical").isEqualTo(Files.readAllBytes(whole.resolve(ModelBundle.ONNX)));
    }

    /** Starts {@code transfer4j train DATA --mode finetune ...} in a child JVM; stderr goes to a log file. */
    private Process train(Path data, String weights, String... where) throws IOException {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx2g", "-Dai.djl.offline=true", "-Dtransfer4j.offline=true", "-cp", classpath,
                "org.transfer4j.cli.Main", "train", data.toString(), "--weights-dir", weights, "--mode", "finetune",
                "--epochs", String.valueOf(HEAD_EPOCHS), "--finetune-epochs", String.valueOf(FINETUNE_EPOCHS),
                "--unfreeze", "2", "--threads", "2", "--seed", "7"));
        cmd.addAll(List.of(where));
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .redirectError(ProcessBuilder.Redirect.appendTo(tmp.resolve("child-stderr.log").toFile()));
        pb.environment().put("TRANSFER4J_HOME", tmp.resolve("home").toString());
        pb.environment().put("OPT_OUT_TRACKING", "true");
        return pb.start();
    }

    /** Reads stdout until a line starts with {@code prefix}; returns the time it was seen. */
    private static long waitForLine(Process p, String prefix) throws IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            System.out.println("child: " + line);
            if (line.startsWith(prefix)) {
                return System.nanoTime();
            }
        }
        throw new AssertionError("the run ended without printing '" + prefix + "'");
    }

    /** Reads stdout to its end and waits for the process. */
    private static List<String> readLines(Process p) throws IOException, InterruptedException {
        List<String> lines = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                System.out.println("child: " + line);
                lines.add(line);
            }
        }
        assertThat(p.waitFor(300, TimeUnit.SECONDS)).isTrue();
        return lines;
    }

    private static JsonNode metrics(Path bundle) throws IOException {
        return JSON.readTree(bundle.resolve(ModelBundle.MANIFEST).toFile()).get("run");
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** The first {@code train} and {@code val} images per class (sorted by name), copied. */
    private static Path subset(Path source, Path target, int train, int val) throws IOException {
        for (String split : new String[] {"train", "val"}) {
            for (String cls : new String[] {"ants", "bees"}) {
                Path from = source.resolve(split).resolve(cls);
                Path to = Files.createDirectories(target.resolve(split).resolve(cls));
                try (Stream<Path> files = Files.list(from)) {
                    for (Path f : files.sorted().limit(split.equals("train") ? train : val).toList()) {
                        Files.copy(f, to.resolve(f.getFileName()));
                    }
                }
            }
        }
        return target;
    }
}
