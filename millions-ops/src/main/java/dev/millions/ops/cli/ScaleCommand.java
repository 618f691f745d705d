package dev.millions.ops.cli;

import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.millions.ops.node.Installation;
import dev.millions.ops.supervisor.ControlClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "scale", mixinStandardHelpOptions = true,
        description = { "Run N web nodes behind the load balancer, while the system runs: new ones start and join "
                        + "once healthy; surplus ones are drained (requests in flight finish) and stopped." },
        footer = { "", "Example: millions scale web=3" })
final class ScaleCommand implements Callable<Integer> {

    private static final Pattern WEB = Pattern.compile("web=([0-9]{1,3})");

    @Parameters(index = "0", paramLabel = "web=N")
    String target;

    @Mixin
    RunFolderOption runFolderOption;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Matcher matcher = WEB.matcher(target);
        if (!matcher.matches()) {
            spec.commandLine().getErr().println("error: '" + target + "' (expected: web=N, e.g. web=3)");
            return ExitCodes.USAGE;
        }
        ControlClient control = new ControlClient(runFolderOption.runFolder(Installation.detect()));
        try {
            spec.commandLine().getOut().println("web nodes now: " + control.scale("web", Integer.parseInt(matcher.group(1))));
            return ExitCodes.OK;
        } catch (IllegalStateException e) {
            spec.commandLine().getErr().println("error: " + e.getMessage());
            return ExitCodes.FAILED;
        }
    }
}
