package dev.millions.ops.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "drill", mixinStandardHelpOptions = true,
        subcommands = { DbFailoverDrill.class, CdnOriginDrill.class, QueueDrill.class, AutoscaleDrill.class,
                        SoakCommand.class },
        description = { "Rehearse a failure on the running system and measure the recovery, or soak it under "
                        + "traffic and watch every node's footprint." },
        footer = { "", "Examples: millions drill db-failover --runs 20", "          millions drill cdn-origin",
                   "          millions drill queue --duration 120s",
                   "          millions drill autoscale",
                   "          millions drill soak --duration 30m" })
final class DrillCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
