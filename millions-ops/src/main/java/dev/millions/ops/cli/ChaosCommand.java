package dev.millions.ops.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;

import dev.millions.bench.fault.FaultAction;
import dev.millions.bench.fault.FaultException;
import dev.millions.bench.fault.FaultSpec;
import dev.millions.ops.chaos.NodeFaults;
import dev.millions.ops.node.Installation;
import dev.millions.ops.node.RunFolder;
import dev.millions.ops.supervisor.ControlClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "chaos", mixinStandardHelpOptions = true,
        description = { "Inject one fault into a running system, now.",
                        "kill: SIGKILL (a crash), after which the supervisor restarts the node with a back-off, "
                        + "as it does any node that exits (--no-restart keeps it down); stop/cont: SIGSTOP/SIGCONT "
                        + "(a frozen node); restart: the supervisor starts it again now; slow --pause 200ms: the "
                        + "supervisor stops the node's process tree for that long out of every second, until "
                        + "--pause 0 (a stalling host: requests wait up to that much longer). To schedule faults "
                        + "under load, use `millions bench --fault`." },
        footer = { "", "Examples:", "  millions chaos kill web-1", "  millions chaos kill --no-restart web-1",
                   "  millions chaos stop postgres --for 5s", "  millions chaos restart web-1",
                   "  millions chaos slow web-2 --pause 200ms", "  millions chaos slow web-2 --pause 0" })
final class ChaosCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "ACTION", description = "kill, stop, cont, restart or slow.")
    String action;

    @Parameters(index = "1", paramLabel = "NODE", description = "A node's name (web-1) or a role with one node (postgres).")
    String node;

    @Option(names = "--for", paramLabel = "DURATION",
            description = "With stop: send SIGCONT after this long (e.g. 3s), so the node comes back by itself.")
    String forDuration;

    @Option(names = "--pause", paramLabel = "DURATION",
            description = "With slow: how long the node is stopped out of every second (e.g. 200ms; 0 ends it).")
    String pauseEachSecond;

    @Option(names = "--no-restart",
            description = "With kill: the supervisor leaves the node down until `millions chaos restart NODE`.")
    boolean noRestart;

    @Mixin
    RunFolderOption runFolderOption;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (action.equals("slow")) {
            return slow(out, err);
        }
        FaultAction fault;
        Duration pause = null;
        try {
            fault = FaultAction.of(action);
            if (fault == FaultAction.DELAY) {
                throw new IllegalArgumentException("delay works inside a bench run: `millions bench --fault delay:"
                                                   + node + "=200ms@10s` (this kernel has no netem)");
            }
            if (forDuration != null) {
                if (fault != FaultAction.STOP) {
                    throw new IllegalArgumentException("--for goes with stop only");
                }
                pause = FaultSpec.duration(forDuration, "--for " + forDuration);
            }
            if (noRestart && fault != FaultAction.KILL) {
                throw new IllegalArgumentException("--no-restart goes with kill only");
            }
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            return ExitCodes.USAGE;
        }
        NodeFaults faults = new NodeFaults(runFolderOption.runFolder(Installation.detect()));
        String name;
        try {
            name = faults.resolve(node);
        } catch (FaultException e) {
            err.println("error: " + e.getMessage());
            return ExitCodes.USAGE;
        }
        try {
            out.println(noRestart ? faults.killAndHold(name) : faults.inject(fault, name, Duration.ZERO));
            out.flush();
            if (pause != null) {
                Thread.sleep(pause.toMillis());
                out.println(faults.inject(FaultAction.CONT, name, Duration.ZERO) + " after " + pause.toMillis() + " ms");
            }
        } catch (FaultException e) {
            err.println("error: " + e.getMessage());
            return ExitCodes.FAILED;
        }
        return ExitCodes.OK;
    }

    private int slow(PrintWriter out, PrintWriter err) {
        if (pauseEachSecond == null) {
            err.println("error: slow needs --pause DURATION (e.g. --pause 200ms; --pause 0 ends it)");
            return ExitCodes.USAGE;
        }
        long millis;
        try {
            millis = pauseEachSecond.equals("0") ? 0 : FaultSpec.duration(pauseEachSecond, "--pause " + pauseEachSecond).toMillis();
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            return ExitCodes.USAGE;
        }
        RunFolder runFolder = runFolderOption.runFolder(Installation.detect());
        try {
            out.println(new ControlClient(runFolder).slow(new NodeFaults(runFolder).resolve(node), millis));
            return ExitCodes.OK;
        } catch (FaultException | IllegalStateException | IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            return ExitCodes.FAILED;
        }
    }
}
