package dev.millions.ops.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "cdn", mixinStandardHelpOptions = true, subcommands = { CdnPurgeCommand.class },
        description = { "Work with the CDN edges of the running system." },
        footer = { "", "Examples: millions cdn purge --tag post-42", "          millions cdn purge --prefix /static/ --soft" })
final class CdnCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
