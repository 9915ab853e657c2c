package org.transfer4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.transfer4j.train.FineTuneConfig;
import org.transfer4j.train.LearningRateFinder;
import org.transfer4j.train.TrainConfig;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** Option defaults come from the config records, once, and {@code --help} shows them. */
class DefaultsTest {

    @Test
    void everyOptionOfAValueTypeHasADefault() {
        CommandLine cli = Main.newCommandLine();
        for (CommandLine command : cli.getSubcommands().values()) {
            for (OptionSpec option : command.getCommandSpec().options()) {
                boolean value = option.type().isPrimitive() && option.type() != boolean.class;
                if (value) {
                    assertThat(new Defaults().defaultValue(option)).as("%s %s", command.getCommandName(), option.longestName())
                            .isNotNull();
                }
            }
        }
    }

    @Test
    void defaultsAreTheConfigRecordsValues() {
        TrainConfig train = TrainConfig.frozen();
        assertThat(Defaults.of("--epochs")).isEqualTo(String.valueOf(train.epochs()));
        assertThat(Float.parseFloat(Defaults.of("--lr"))).isEqualTo(train.learningRate());
        assertThat(Defaults.of("--head")).isEqualTo(train.head().text());
        assertThat(Long.parseLong(Defaults.of("--seed"))).isEqualTo(train.seed());
        assertThat(Float.parseFloat(Defaults.of("--finetune-lr"))).isEqualTo(FineTuneConfig.defaults().learningRate());
        assertThat(Double.parseDouble(Defaults.of("--min-lr"))).isEqualTo(LearningRateFinder.Options.defaults().minLr());
        assertThat(Defaults.of("--test-split")).isEqualTo("0.2");
        assertThat(Defaults.of("--val-split")).isEqualTo("0.1");
    }

    @Test
    void helpShowsTheDefaultsAndEachCommandGetsItsOwn() {
        CliRun train = CliRun.of("train", "--help");
        assertThat(train.exitCode()).isZero();
        assertThat(train.out().replaceAll("\\s+", " ")).contains("Default: 10.", "Default: 0.001.", "Default: 0.0001.",
                "Default: mobilenet_v2.", "held out as the test split", "Default: 0.2.", "validation split", "Default: 0.1.");
        assertThat(CliRun.of("lr-find", "--help").out().replaceAll("\\s+", " ")).contains("--val-split", "--test-split",
                "Default: 1E-7.", "Default: 10.");
        assertThat(CliRun.of("classify", "--help").out().replaceAll("\\s+", " ")).contains("Classes per image. Default: 5.");
        assertThat(CliRun.of("predict", "--help").out().replaceAll("\\s+", " ")).contains("Classes per image. Default: 1.");
    }
}
