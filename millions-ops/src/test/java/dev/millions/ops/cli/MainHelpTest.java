package dev.millions.ops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.IllegalFormatException;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.Test;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

class MainHelpTest {

    @Test
    void everyVisibleCommand_isInExactlyOneGroup() {
        List<String> visible = Main.commandLine().getSubcommands().values().stream()
                                   .filter(command -> !command.getCommandSpec().usageMessage().hidden())
                                   .map(CommandLine::getCommandName).toList();
        List<String> grouped = Main.GROUPS.values().stream().flatMap(List::stream).toList();

        assertThat(grouped).containsExactlyInAnyOrderElementsOf(visible).doesNotHaveDuplicates();
    }

    @Test
    void help_listsTheCommandsByKind() {
        StringWriter out = new StringWriter();
        CommandLine commandLine = Main.commandLine();
        commandLine.setOut(new PrintWriter(out));

        commandLine.execute("--help");

        assertThat(out.toString()).containsSubsequence("Lifecycle commands:", "  up ", "  down ", "Operate commands:",
                                                       "  chaos ", "Measure commands:", "  bench ", "  drill ");
    }

    /** Picocli formats a command's description as a format string: a lone {@code %} warns and prints it raw. */
    @Test
    void everyCommandsDescription_isAValidFormatString() {
        List<String> invalid = new ArrayList<>();
        collectInvalidDescriptions(Main.commandLine(), invalid);

        assertThat(invalid).isEmpty();
    }

    private static void collectInvalidDescriptions(CommandLine command, List<String> invalid) {
        CommandSpec spec = command.getCommandSpec();
        for (String text : spec.usageMessage().description()) {
            try {
                String.format(Locale.ROOT, text);
            } catch (IllegalFormatException e) {
                invalid.add(spec.qualifiedName() + ": " + e.getMessage() + " in '" + text + "'");
            }
        }
        command.getSubcommands().values().forEach(sub -> collectInvalidDescriptions(sub, invalid));
    }
}
