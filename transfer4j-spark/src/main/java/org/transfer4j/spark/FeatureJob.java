package org.transfer4j.spark;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.transfer4j.Transfer;
import org.transfer4j.data.DatasetException;
import org.transfer4j.data.DecodeOptions;
import org.transfer4j.exec.Device;
import org.transfer4j.weights.WeightsException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The {@code spark-submit} entry point:
 * {@code spark-submit --class org.transfer4j.spark.FeatureJob transfer4j-spark.jar DATA_URI OUT_URI --backbone B}.
 * Exit 0 when the table is written, 1 with one line for a data or weights problem, 2 for bad usage.
 */
@Command(name = "transfer4j-spark", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Compute backbone features of every image under DATA_URI (any Hadoop file system) as a Spark "
                + "job and write them as a Parquet feature table to OUT_URI, for 'transfer4j train --features'.")
public final class FeatureJob implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "DATA_URI", description = "The image folder (hdfs://, s3a://, file:, a path).")
    String dataUri;

    @Parameters(index = "1", paramLabel = "OUT_URI", description = "The table's folder; must not exist.")
    String outUri;

    @Option(names = "--backbone", description = "Pretrained backbone. Default: ${DEFAULT-VALUE}.")
    String backbone = Transfer.DEFAULT_BACKBONE;

    @Option(names = "--weights", paramLabel = "FILE",
            description = "Weights file on the driver's machine, shipped to the executors with the job.")
    Path weightsFile;

    @Option(names = "--weights-dir", paramLabel = "DIR",
            description = "Folder of official weight files on the driver's machine. Default: $TRANSFER4J_WEIGHTS.")
    Path weightsDir;

    @Option(names = "--device", description = "Where the executors run the backbone: " + Device.CHOICES
            + ". Default: ${DEFAULT-VALUE}.")
    String device = "cpu";

    @Option(names = "--batch-size", description = "Images per backbone run. Default: ${DEFAULT-VALUE}.")
    int batchSize = 32;

    @Option(names = "--max-pixels", description = "Largest width x height decoded. Default: ${DEFAULT-VALUE}.")
    long maxPixels = DecodeOptions.DEFAULT_MAX_PIXELS;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private final SparkSession session;

    /** The job on the session spark-submit configures. */
    public FeatureJob() {
        this(null);
    }

    /** The job on a given session (tests); null: {@code SparkSession.builder().getOrCreate()}. */
    FeatureJob(SparkSession session) {
        this.session = session;
    }

    /** Runs the job; exits with its code. */
    public static void main(String[] args) {
        System.exit(run(null, args));
    }

    /** Runs the job on a session (null: the one spark-submit configures) and returns the exit code. */
    static int run(SparkSession session, String... args) {
        CommandLine cli = new CommandLine(new FeatureJob(session));
        cli.setParameterExceptionHandler((e, a) -> {
            PrintWriter err = e.getCommandLine().getErr();
            err.println("transfer4j-spark: " + e.getMessage() + " (see 'transfer4j-spark --help')");
            err.flush();
            return CommandLine.ExitCode.USAGE;
        });
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof DatasetException || e instanceof WeightsException || e instanceof java.io.UncheckedIOException) {
                commandLine.getErr().println("transfer4j-spark: " + e.getMessage());
                commandLine.getErr().flush();
                return 1;
            }
            throw e;
        });
        return cli.execute(args);
    }

    @Override
    public Integer call() {
        Device d;
        try {
            d = Device.parse(device);
            if (d.isCuda()) {
                d.resolve(false, System.err); // a clear usage error before Spark starts
            }
            org.transfer4j.weights.WeightRegistry.setsOf(backbone);
            if (batchSize < 1 || maxPixels < 1) {
                throw new IllegalArgumentException("--batch-size and --max-pixels must be positive, got " + batchSize
                        + " and " + maxPixels);
            }
        } catch (IllegalArgumentException | WeightsException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        SparkSession spark = session != null ? session
                : SparkSession.builder().appName("transfer4j features " + dataUri).getOrCreate();
        new SparkFeatureExtraction(spark).backbone(backbone).weights(weightsFile).weightsDir(weightsDir).device(d)
                .batchSize(batchSize).maxPixels(maxPixels).run(dataUri, outUri);
        return 0;
    }
}
