package org.transfer4j.cli;

import java.io.PrintWriter;
import org.transfer4j.data.DatasetException;
import org.transfer4j.model.ModelException;
import org.transfer4j.weights.WeightsException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code transfer4j} command line: one subcommand per task, each a thin shell over the library. */
@Command(name = "transfer4j", mixinStandardHelpOptions = true, version = "transfer4j 0.1.0",
        description = "Transfer learning on images: train a classifier on a folder of labelled images "
                + "by reusing a CNN pretrained on ImageNet.",
        subcommands = {BackbonesCommand.class, ClassifyCommand.class, TrainCommand.class,
                EvaluateCommand.class, PredictCommand.class, ReportCommand.class, ExplainCommand.class,
                InspectCommand.class, LrFindCommand.class, RankCommand.class})
public final class Main implements Runnable {

    /** Exit code of a run that failed for a reason the message explains. */
    static final int FAILED = 1;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        System.setProperty("ai.djl.offline", "true");
        System.exit(newCommandLine().execute(args));
    }

    /**
     * The configured command line (tests use it too): user errors become one line on stderr and
     * exit code 1; bad usage exits 2; only programming errors show a stack trace.
     */
    public static CommandLine newCommandLine() {
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (isUserError(e)) {
                PrintWriter err = commandLine.getErr();
                err.println("transfer4j: " + e.getMessage());
                err.flush();
                return FAILED;
            }
            throw e;
        });
        return cli;
    }

    private static boolean isUserError(Exception e) {
        return e instanceof WeightsException || e instanceof DatasetException || e instanceof ModelException
                || e instanceof IllegalArgumentException || e instanceof java.io.IOException
                || e instanceof java.io.UncheckedIOException;
    }
}
