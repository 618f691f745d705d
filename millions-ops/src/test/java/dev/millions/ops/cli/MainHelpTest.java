package dev.millions.ops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

import org.junit.jupiter.api.Test;

import picocli.CommandLine;

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
}
