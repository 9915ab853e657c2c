package org.transfer4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
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
                InspectCommand.class, LrFindCommand.class, RankCommand.class, ServeCommand.class,
                EmbedCommand.class, IndexCommand.class, SimilarCommand.class, ClusterCommand.class,
                SuggestCommand.class})
public final class Main implements Runnable {

    /** Exit code of a run that failed for a reason the message explains (bad data, weights, model, files). */
    static final int FAILED = 1;
    /** Exit code of bad usage: an unknown option, a missing parameter, an option value out of range. */
    static final int USAGE = CommandLine.ExitCode.USAGE;

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
     * The configured command line (tests use it too): option defaults from {@link Defaults}; exit code 0
     * when the command succeeds; 1 with one line on stderr for a user error the message explains
     * ({@link DatasetException}, {@link WeightsException}, {@link ModelException}, I/O); 2 with one line
     * naming the option and the value for bad usage (picocli's parameter errors and the
     * {@link IllegalArgumentException}s of option mapping, see {@link Usage}). Only programming errors
     * show a stack trace.
     */
    public static CommandLine newCommandLine() {
        CommandLine cli = new CommandLine(new Main());
        cli.setDefaultValueProvider(new Defaults());
        cli.setParameterExceptionHandler((e, args) -> {
            CommandLine command = e.getCommandLine();
            PrintWriter err = command.getErr();
            err.println("transfer4j: " + e.getMessage() + " (see '" + command.getCommandSpec().qualifiedName()
                    + " --help')");
            err.flush();
            return USAGE;
        });
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

    /**
     * Errors a message explains. An {@link IllegalArgumentException} that reaches this point was thrown
     * by the library after option mapping (e.g. a checkpoint without optimiser state): a failure, not usage.
     */
    private static boolean isUserError(Exception e) {
        return e instanceof WeightsException || e instanceof DatasetException || e instanceof ModelException
                || e instanceof IllegalArgumentException || e instanceof IOException
                || e instanceof UncheckedIOException;
    }
}
