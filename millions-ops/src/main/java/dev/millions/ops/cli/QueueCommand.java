package dev.millions.ops.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "queue", mixinStandardHelpOptions = true, subcommands = { DlqCommand.class },
        description = { "Work with the message queue of the running system." },
        footer = { "", "Examples: millions queue dlq list", "          millions queue dlq show posts.dlq-0@3",
                   "          millions queue dlq replay posts.dlq-0@3" })
final class QueueCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
