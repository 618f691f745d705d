package dev.millions.ops.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code millions} command: run, watch and stop the design on this machine. */
@Command(name = "millions", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "The \"scale from zero to millions of users\" architecture, built for real.",
        subcommands = { UpCommand.class, StatusCommand.class, LogsCommand.class, DownCommand.class, BenchCommand.class,
                        ChaosCommand.class, ScaleCommand.class, SwitchoverCommand.class, ReplicaCommand.class,
                        DrillCommand.class,
                        SuperviseCommand.class },
        footer = { "", "Run `millions COMMAND --help` for the options of a command." })
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        return new CommandLine(new Main()).setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("error: " + e.getMessage());
            return ExitCodes.FAILED;
        });
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
