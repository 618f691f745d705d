package dev.millions.ops.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import dev.millions.bench.report.SideBySide;
import dev.millions.bench.report.Wrk;
import dev.millions.ops.node.Installation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "wrk", mixinStandardHelpOptions = true,
        description = { "Plain HTTP side by side: the same wrk load against each URL, repeated and interleaved, "
                        + "with the median of each and its ratio to the first URL. Needs wrk (apt-get install wrk)." },
        footer = { "", "Example: millions bench wrk http://127.0.0.1:8080/health http://127.0.0.1:8081/health" })
final class BenchWrkCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "URL", description = "Addresses to load; the first is the baseline.")
    List<String> urls;

    @Option(names = "--connections", defaultValue = "64", description = "Default: ${DEFAULT-VALUE}.")
    int connections;

    @Mixin
    WrkOptions wrkOptions;

    @Mixin
    RunFolderOption runFolderOption;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        Wrk wrk;
        try {
            wrk = Wrk.find();
        } catch (IllegalStateException e) {
            spec.commandLine().getErr().println("error: " + e.getMessage());
            return ExitCodes.FAILED;
        }
        SideBySide results = new SideBySide();
        for (int run = 1; run <= wrkOptions.runs; run++) {
            for (String url : urls) {
                out.printf("run %d/%d: wrk -c%d -d%ds %s%n", run, wrkOptions.runs, connections, wrkOptions.seconds, url);
                out.flush();
                results.add(url, wrk.run(url, connections, wrkOptions.seconds, wrkOptions.clientCpu));
            }
        }
        Path folder = runFolderOption.runFolder(Installation.detect()).benchReport("wrk");
        results.write(folder, "millions bench wrk, " + connections + " connections, " + wrkOptions.seconds + " s x "
                                      + wrkOptions.runs);
        out.println();
        out.print(results.table());
        out.printf("%nreport: %s%n", folder.resolve("summary.md"));
        return ExitCodes.OK;
    }
}
