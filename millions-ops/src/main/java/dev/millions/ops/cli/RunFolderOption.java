package dev.millions.ops.cli;

import java.nio.file.Path;

import dev.millions.ops.node.Installation;
import dev.millions.ops.node.RunFolder;
import picocli.CommandLine.Option;

/** {@code --run-dir}, shared by every command that works on a running system. */
final class RunFolderOption {

    @Option(names = "--run-dir", paramLabel = "DIR",
            description = "Folder with the system's data, logs and state (default: $MILLIONS_RUN_DIR or ./run).")
    Path runDirectory;

    RunFolder runFolder(Installation installation) {
        return new RunFolder(runDirectory != null ? runDirectory : installation.defaultRunFolder());
    }
}
