package org.transfer4j.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.transfer4j.DatasetFeatures;
import org.transfer4j.SharedData;
import org.transfer4j.Transfer;
import org.transfer4j.model.ImageClassifier;
import org.transfer4j.model.Manifest;
import org.transfer4j.model.ModelBundle;
import org.transfer4j.train.ExtractionRecord;
import org.transfer4j.train.FeatureCache;
import org.transfer4j.train.FeatureTable;

/**
 * The Spark job in local mode ({@code local[2]}) on cats_dogs: its Parquet features equal the command
 * line's cached features, corrupt files become error rows, and training on the table gives the local
 * run's test accuracy and the same {@code model.onnx}.
 */
@Tag("slow")
@Tag("shared")
class SparkFeatureJobTest {

    private static SparkSession spark;

    @TempDir
    static Path tmp;

    @BeforeAll
    static void start() {
        spark = SparkSession.builder().master("local[2]").appName("SparkFeatureJobTest")
                .config("spark.ui.enabled", "false").getOrCreate();
    }

    @AfterAll
    static void stop() {
        if (spark != null) {
            spark.stop();
        }
    }

    @Test
    void tableEqualsCliFeaturesUnreadableFilesAreRowsAndTrainingOnItEqualsALocalRun() throws IOException {
        Path catsDogs = SharedData.dataset("cats_dogs");
        Path copy = linkedCopy(catsDogs, tmp.resolve("cats_dogs"));
        byte[] photo = Files.readAllBytes(catsDogs.resolve("test/cats").resolve(firstFile(catsDogs.resolve("test/cats"))));
        Files.write(copy.resolve("test/cats/truncated.jpg"), java.util.Arrays.copyOf(photo, photo.length / 3));
        Files.writeString(copy.resolve("test/dogs/notes.jpg"), "not an image at all");
        Files.write(copy.resolve("test/dogs/empty.jpg"), new byte[0]);
        Path table = tmp.resolve("table");

        int loadsBefore = ExecutorBackbone.loads();
        assertThat(FeatureJob.run(spark, copy.toString(), table.toString(), "--weights-dir",
                SharedData.pretrained().toString())).isZero();
        assertThat(ExecutorBackbone.loads() - loadsBefore).as("one backbone per executor JVM").isEqualTo(1);

        FeatureTable t = FeatureTable.read(table);
        ExtractionRecord record = t.record();
        assertThat(record.images()).isEqualTo(1503);
        assertThat(record.errors()).isEqualTo(3);
        Map<String, String> errors = t.rows().stream().filter(r -> r.error() != null)
                .collect(Collectors.toMap(FeatureTable.Row::path, FeatureTable.Row::error));
        assertThat(errors).containsOnlyKeys("test/cats/truncated.jpg", "test/dogs/notes.jpg", "test/dogs/empty.jpg");
        assertThat(errors.get("test/dogs/empty.jpg")).contains("empty");
        assertThat(errors.get("test/cats/truncated.jpg")).contains("truncated");
        assertThat(t.rows()).filteredOn(r -> r.error() != null).allMatch(r -> r.features() == null);

        // the table reads without Spark or Hadoop's runtime on the class path (as train --features reads it)
        try (java.net.URLClassLoader isolated = new java.net.URLClassLoader(classPathWithout("hadoop-client-runtime",
                "/org/apache/spark/"), ClassLoader.getPlatformClassLoader())) {
            Class<?> reader = isolated.loadClass(FeatureTable.class.getName());
            Object read = reader.getMethod("read", Path.class).invoke(null, table);
            assertThat((List<?>) reader.getMethod("rows").invoke(read)).hasSize(1503);
            assertThat(isolated.getResource("org/apache/spark/SparkContext.class")).isNull();
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("reading the table without Hadoop failed: " + e.getCause(), e);
        }

        // the command line's features of the same images, through its cache
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        DatasetFeatures cli = Transfer.from(catsDogs).weightsDir(SharedData.pretrained()).cacheDir(SharedData.featureCache())
                .progress(false).log(quiet).features();
        assertThat(record.cacheKey()).isEqualTo(Transfer.cacheKey(cli.backbone()));
        FeatureCache cache = new FeatureCache(SharedData.featureCache(), record.cacheKey(), cli.backbone().featureWidth());
        double worst = 0;
        int compared = 0;
        for (FeatureTable.Row row : t.rows()) {
            if (row.error() != null) {
                continue;
            }
            float[] expected = cache.get(row.contentHash()).orElseThrow(() -> new AssertionError("not cached: " + row.path()));
            assertThat(row.features()).hasSize(expected.length);
            for (int i = 0; i < expected.length; i++) {
                worst = Math.max(worst, Math.abs(expected[i] - row.features()[i]));
            }
            assertThat(row.label()).isEqualTo(row.path().split("/")[1]);
            assertThat(row.split()).isEqualTo(row.path().startsWith("train/") ? "train" : "test");
            compared++;
        }
        System.err.printf("SparkFeatureJobTest: %d images compared, max |spark - cli| = %.3g%n", compared, worst);
        assertThat(compared).isEqualTo(1500);
        assertThat(worst).isLessThanOrEqualTo(1e-5);

        // training: a local run against 'train --features' with the same seed
        Path localRun = tmp.resolve("local");
        Path tableRun = tmp.resolve("from-table");
        try (ImageClassifier local = Transfer.from(catsDogs).weightsDir(SharedData.pretrained())
                .cacheDir(SharedData.featureCache()).seed(7).progress(false).log(quiet).train()) {
            local.save(localRun);
        }
        int code = org.transfer4j.cli.Main.newCommandLine().execute("train", "--features", table.toString(),
                "--weights-dir", SharedData.pretrained().toString(), "--seed", "7", "--out", tableRun.toString());
        assertThat(code).isZero();
        Manifest a = ModelBundle.readManifest(localRun);
        Manifest b = ModelBundle.readManifest(tableRun);
        assertThat(b.run().test().images()).isEqualTo(a.run().test().images()).isEqualTo(500);
        assertThat(b.run().test().accuracy()).isEqualTo(a.run().test().accuracy());
        assertThat(b.training().split().train()).isEqualTo(a.training().split().train());
        assertThat(b.training().split().validation()).isEqualTo(a.training().split().validation());
        boolean sameOnnx = java.util.Arrays.equals(Files.readAllBytes(localRun.resolve(ModelBundle.ONNX)),
                Files.readAllBytes(tableRun.resolve(ModelBundle.ONNX)));
        System.err.printf("SparkFeatureJobTest: test accuracy %.4f (local) and %.4f (from the table); model.onnx "
                + "identical: %s%n", a.run().test().accuracy(), b.run().test().accuracy(), sameOnnx);
        if (worst == 0) {
            assertThat(sameOnnx).as("equal features, equal seed: the same model.onnx").isTrue();
        }
    }

    /** The test class path (surefire's) without the entries whose path holds one of the parts. */
    private static java.net.URL[] classPathWithout(String... parts) throws IOException {
        List<java.net.URL> urls = new ArrayList<>();
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        for (String entry : classPath.split(java.io.File.pathSeparator)) {
            if (java.util.Arrays.stream(parts).noneMatch(entry::contains)) {
                urls.add(Path.of(entry).toUri().toURL());
            }
        }
        return urls.toArray(java.net.URL[]::new);
    }

    private static String firstFile(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().findFirst().orElseThrow();
        }
    }

    /** The folder tree of {@code from} with a symbolic link per file (a copy in no time). */
    private static Path linkedCopy(Path from, Path to) throws IOException {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> s = Files.walk(from)) {
            s.filter(Files::isRegularFile).forEach(files::add);
        }
        for (Path f : files) {
            Path target = to.resolve(from.relativize(f).toString());
            Files.createDirectories(target.getParent());
            Files.createSymbolicLink(target, f.toAbsolutePath());
        }
        return to;
    }
}
