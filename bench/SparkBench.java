import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import org.apache.spark.sql.SparkSession;
import org.transfer4j.spark.SparkFeatureExtraction;
import org.transfer4j.train.ExtractionRecord;

/**
 * One run of the Spark feature job in local mode, timed: {@code SparkBench MASTER DATA WEIGHTS_DIR OUT [warm]}.
 * Prints one line: master, images, seconds of the job (session already started), images/s, and the
 * seconds from JVM start (session start included). With {@code warm}, a first job on 64 of the images
 * (links in a temporary folder) loads Spark's classes and code generation and the executor's backbone
 * before the timed job: the steady state a long job on a cluster sees.
 */
public class SparkBench {
    public static void main(String[] args) {
        long jvmStart = java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime();
        SparkSession spark = SparkSession.builder().master(args[0]).appName("SparkBench")
                .config("spark.ui.enabled", "false").getOrCreate();
        spark.sparkContext().setLogLevel("ERROR");
        if (args.length > 4 && args[4].equals("warm")) {
            Path sample = sample(Path.of(args[1]), 64);
            new SparkFeatureExtraction(spark).weightsDir(Path.of(args[2]))
                    .log(new PrintStream(new ByteArrayOutputStream())).run(sample.toString(), args[3] + "-warmup");
        }
        long start = System.nanoTime();
        ExtractionRecord r = new SparkFeatureExtraction(spark).weightsDir(Path.of(args[2]))
                .log(new PrintStream(new ByteArrayOutputStream())).run(args[1], args[3]);
        double seconds = (System.nanoTime() - start) / 1e9;
        double total = (System.currentTimeMillis() - jvmStart) / 1e3;
        spark.stop();
        System.out.printf(Locale.ROOT, "spark %s images %d errors %d job_seconds %.2f images_per_s %.2f total_seconds %.2f%n",
                args[0], r.images(), r.errors(), seconds, r.images() / seconds, total);
    }

    /** A temporary folder of links to the first n files of {@code data}, same relative paths. */
    private static Path sample(Path data, int n) {
        try {
            Path dir = java.nio.file.Files.createTempDirectory("spark-bench-warmup");
            java.util.List<Path> files;
            try (java.util.stream.Stream<Path> s = java.nio.file.Files.walk(data)) {
                files = s.filter(java.nio.file.Files::isRegularFile).sorted().toList();
            }
            int step = Math.max(1, files.size() / n);
            for (int i = 0; i < files.size(); i += step) {
                Path link = dir.resolve(data.relativize(files.get(i)).toString());
                java.nio.file.Files.createDirectories(link.getParent());
                java.nio.file.Files.createSymbolicLink(link, files.get(i).toAbsolutePath());
            }
            return dir;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
