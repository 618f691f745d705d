package dev.millions.ops.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

import picocli.CommandLine;

/** Runs the {@code millions} command in the test's JVM on one run folder, as a person would type it. */
record MillionsCommand(Path runFolder) {

    Result run(String... args) {
        StringWriter output = new StringWriter();
        CommandLine commandLine = Main.commandLine();
        commandLine.setOut(new PrintWriter(output, true));
        commandLine.setErr(new PrintWriter(output, true));
        String[] withRunFolder = new String[args.length + 2];
        System.arraycopy(args, 0, withRunFolder, 0, args.length);
        withRunFolder[args.length] = "--run-dir";
        withRunFolder[args.length + 1] = runFolder.toString();
        return new Result(commandLine.execute(withRunFolder), output.toString());
    }

    record Result(int exitCode, String output) {}
}
