package dev.millions.ops.cli;

import java.util.concurrent.Callable;

import dev.millions.ops.node.Installation;
import dev.millions.ops.supervisor.ControlClient;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "purge", mixinStandardHelpOptions = true,
        description = { "Purge stored answers on every CDN edge of the topology: by URL (a path and query, on any host), "
                        + "by path prefix, or by tag (the origin's Surrogate-Key). A soft purge marks them stale instead, "
                        + "so that their stale windows still serve them while one request refreshes each." },
        footer = { "", "It prints: purged N stored answers on E edge(s) in T ms" })
final class CdnPurgeCommand implements Callable<Integer> {

    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    static final class Target {
        @Option(names = "--url", paramLabel = "PATH", description = "One URL, e.g. /media/ab12.jpg") String url;
        @Option(names = "--prefix", paramLabel = "PATH", description = "Every URL under a path, e.g. /static/") String prefix;
        @Option(names = "--tag", paramLabel = "TAG", description = "Every answer tagged so, e.g. post-42") String tag;
    }

    @Option(names = "--soft", description = "Mark stale instead of removing.")
    boolean soft;

    @Mixin
    RunFolderOption runFolderOption;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        String kind = target.url != null ? "url" : target.prefix != null ? "prefix" : "tag";
        String value = target.url != null ? target.url : target.prefix != null ? target.prefix : target.tag;
        ControlClient control = new ControlClient(runFolderOption.runFolder(Installation.detect()));
        try {
            spec.commandLine().getOut().println(control.purge(kind, value, soft));
            return ExitCodes.OK;
        } catch (IllegalStateException | IllegalArgumentException e) {
            spec.commandLine().getErr().println("error: " + e.getMessage());
            return ExitCodes.FAILED;
        }
    }
}
