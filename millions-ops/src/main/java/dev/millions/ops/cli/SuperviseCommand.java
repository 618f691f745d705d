package dev.millions.ops.cli;

import java.util.concurrent.Callable;

import dev.millions.ops.node.Installation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** The background supervisor that {@code up -d} starts; not for people to call. */
@Command(name = "supervise", hidden = true)
final class SuperviseCommand implements Callable<Integer> {

    @Parameters(index = "0")
    String topologyName;

    @Option(names = "--fresh")
    boolean fresh;

    @Option(names = "--with-prometheus")
    boolean withPrometheus;

    @Mixin
    RunFolderOption runFolderOption;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        return Foreground.run(UpCommand.load(topologyName, withPrometheus),
                              runFolderOption.runFolder(Installation.detect()), fresh,
                              new ConsoleProgress(spec.commandLine().getOut()), true);
    }
}
