import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import org.apache.spark.sql.SparkSession;
import org.transfer4j.spark.SparkFeatureExtraction;
import org.transfer4j.train.ExtractionRecord;

/**
 * One run of the Spark feature job in local mode, timed: {@code SparkBench MASTER DATA WEIGHTS_DIR OUT}.
 * Prints one line: master, images, seconds of the job (session already started), images/s, and the
 * seconds from JVM start (session start included).
 */
public class SparkBench {
    public static void main(String[] args) {
        long jvmStart = java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime();
        SparkSession spark = SparkSession.builder().master(args[0]).appName("SparkBench")
                .config("spark.ui.enabled", "false").getOrCreate();
        spark.sparkContext().setLogLevel("ERROR");
        long start = System.nanoTime();
        ExtractionRecord r = new SparkFeatureExtraction(spark).weightsDir(Path.of(args[2]))
                .log(new PrintStream(new ByteArrayOutputStream())).run(args[1], args[3]);
        double seconds = (System.nanoTime() - start) / 1e9;
        double total = (System.currentTimeMillis() - jvmStart) / 1e3;
        spark.stop();
        System.out.printf(Locale.ROOT, "spark %s images %d errors %d job_seconds %.2f images_per_s %.2f total_seconds %.2f%n",
                args[0], r.images(), r.errors(), seconds, r.images() / seconds, total);
    }
}
