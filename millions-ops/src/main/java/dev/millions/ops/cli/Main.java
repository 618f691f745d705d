package dev.millions.ops.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.UsageMessageSpec;

/** The {@code millions} command: run, watch and stop the design on this machine. */
@Command(name = "millions", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "The \"scale from zero to millions of users\" architecture, built for real.",
        subcommands = { UpCommand.class, StatusCommand.class, LogsCommand.class, TraceCommand.class, DashboardCommand.class,
                        DownCommand.class, BenchCommand.class,
                        ChaosCommand.class, ScaleCommand.class, AutoscaleCommand.class, SwitchoverCommand.class,
                        ReplicaCommand.class,
                        CdnCommand.class, QueueCommand.class, DrillCommand.class,
                        SuperviseCommand.class },
        footer = { "", "Run `millions COMMAND --help` for the options of a command." })
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The commands by kind, as `millions --help` lists them. */
    static final Map<String, List<String>> GROUPS = groups();

    private static Map<String, List<String>> groups() {
        Map<String, List<String>> groups = new LinkedHashMap<>();
        groups.put("Lifecycle", List.of("up", "status", "logs", "trace", "dashboard", "down"));
        groups.put("Operate", List.of("scale", "autoscale", "replica", "switchover", "cdn", "queue", "chaos"));
        groups.put("Measure", List.of("bench", "drill"));
        return groups;
    }

    static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new Main()).setExecutionExceptionHandler((e, line, parseResult) -> {
            line.getErr().println("error: " + e.getMessage());
            return ExitCodes.FAILED;
        });
        commandLine.getHelpSectionMap().put(UsageMessageSpec.SECTION_KEY_COMMAND_LIST_HEADING, help -> "");
        commandLine.getHelpSectionMap().put(UsageMessageSpec.SECTION_KEY_COMMAND_LIST, Main::groupedCommands);
        return commandLine;
    }

    private static String groupedCommands(CommandLine.Help help) {
        StringBuilder text = new StringBuilder();
        GROUPS.forEach((group, names) -> {
            Map<String, CommandLine.Help> commands = new LinkedHashMap<>();
            names.forEach(name -> commands.put(name, help.subcommands().get(name)));
            text.append(group).append(" commands:\n").append(help.commandList(commands));
        });
        return text.toString();
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Main.class.getPackage().getImplementationVersion();
            return new String[] { "millions " + (version == null ? "(development build)" : version) };
        }
    }
}
