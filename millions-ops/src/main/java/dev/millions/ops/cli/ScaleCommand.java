package dev.millions.ops.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.millions.ops.node.Installation;
import dev.millions.ops.supervisor.ControlClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "scale", mixinStandardHelpOptions = true,
        description = { "Run N web nodes behind the load balancer, or N workers, while the system runs: new ones "
                        + "start and join once healthy; surplus web nodes are drained (requests in flight finish) "
                        + "and stopped; surplus workers leave their consumer group, whose partitions move to the others." },
        footer = { "", "Examples: millions scale web=3", "          millions scale worker=4",
                   "          millions scale web=3 --set millions.feed.fan-out=false" })
final class ScaleCommand implements Callable<Integer> {

    private static final Pattern TARGET = Pattern.compile("(web|worker)=([0-9]{1,3})");

    @Parameters(index = "0", paramLabel = "web=N|worker=N")
    String target;

    @Option(names = "--set", paramLabel = "PROPERTY=VALUE",
            description = "An app property for the nodes this adds, over the first node's (repeatable).")
    Map<String, String> properties = new LinkedHashMap<>();

    @Mixin
    RunFolderOption runFolderOption;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Matcher matcher = TARGET.matcher(target);
        if (!matcher.matches()) {
            spec.commandLine().getErr().println("error: '" + target + "' (expected: web=N or worker=N, e.g. web=3)");
            return ExitCodes.USAGE;
        }
        ControlClient control = new ControlClient(runFolderOption.runFolder(Installation.detect()));
        try {
            String role = matcher.group(1);
            spec.commandLine().getOut().println(role + " nodes now: " + control.scale(role, Integer.parseInt(matcher.group(2)),
                                                                                          properties));
            return ExitCodes.OK;
        } catch (IllegalStateException e) {
            spec.commandLine().getErr().println("error: " + e.getMessage());
            return ExitCodes.FAILED;
        }
    }
}
