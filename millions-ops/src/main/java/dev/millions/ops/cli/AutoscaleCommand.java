package dev.millions.ops.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import dev.millions.ops.node.Installation;
import dev.millions.ops.supervisor.ControlClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "autoscale", mixinStandardHelpOptions = true,
        description = { "Let the supervisor scale web nodes or workers by a metric, as Kubernetes' HPA does: "
                        + "desired = ceil(nodes * average / target), within a 10 %% tolerance, between --min and "
                        + "--max; up only once the scale-up window agrees, down only once the scale-down window "
                        + "does, nothing within the cooldown after a change. Decisions go to the supervisor's log "
                        + "and the dashboard's timeline. Without a role: the roles autoscaled now." },
        footer = { "", "Examples: millions autoscale web --min 2 --max 4 --target in-flight=4",
                   "          millions autoscale worker --min 1 --max 4 --target lag=100",
                   "          millions autoscale web --off", "          millions autoscale" })
final class AutoscaleCommand implements Callable<Integer> {

    private static final Pattern TARGET = Pattern.compile("(cpu|in-flight|lag)=([0-9]+(\\.[0-9]+)?)");

    @Parameters(index = "0", arity = "0..1", paramLabel = "web|worker")
    String role;

    @Option(names = "--min", defaultValue = "1", description = "Fewest nodes (default: ${DEFAULT-VALUE}).")
    int min;

    @Option(names = "--max", defaultValue = "4", description = "Most nodes (default: ${DEFAULT-VALUE}).")
    int max;

    @Option(names = "--target", defaultValue = "in-flight=4", paramLabel = "METRIC=VALUE",
            description = "The average per node to hold: cpu=PERCENT (of one core), in-flight=REQUESTS (web), "
                          + "lag=MESSAGES (worker) (default: ${DEFAULT-VALUE}).")
    String target;

    @Option(names = "--scale-up-window", defaultValue = "0s", converter = TimeConverter.class,
            description = "How long a scale-up must be recommended before it happens (default: ${DEFAULT-VALUE}).")
    Duration scaleUpWindow;

    @Option(names = "--scale-down-window", defaultValue = "30s", converter = TimeConverter.class,
            description = "How long a scale-down must be recommended before it happens (default: ${DEFAULT-VALUE}).")
    Duration scaleDownWindow;

    @Option(names = "--cooldown", defaultValue = "15s", converter = TimeConverter.class,
            description = "No change this long after the last one ended (default: ${DEFAULT-VALUE}).")
    Duration cooldown;

    @Option(names = "--off", description = "Stop autoscaling the role; its nodes stay as they are.")
    boolean off;

    @Mixin
    RunFolderOption runFolderOption;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        ControlClient control = new ControlClient(runFolderOption.runFolder(Installation.detect()));
        try {
            if (role == null) {
                JsonNode roles = control.autoscaling();
                if (roles.isEmpty()) {
                    out.println("no role is autoscaled; e.g. `millions autoscale web --min 2 --max 4 --target in-flight=4`");
                }
                roles.forEach(entry -> out.printf("%s: %d nodes (%d..%d), %s %s per node; last decision: %s%n",
                        entry.path("role").asText(), entry.path("nodes").asInt(), entry.path("min").asInt(),
                        entry.path("max").asInt(), entry.path("metric").asText(), entry.path("target").asText(),
                        entry.path("lastDecision").asText("none")));
                return ExitCodes.OK;
            }
            if (!role.equals("web") && !role.equals("worker")) {
                spec.commandLine().getErr().println("error: role '" + role + "' (expected: web or worker)");
                return ExitCodes.USAGE;
            }
            if (off) {
                out.println(control.autoscaleOff(role));
                return ExitCodes.OK;
            }
            Matcher matcher = TARGET.matcher(target);
            if (!matcher.matches()) {
                spec.commandLine().getErr().println("error: --target " + target
                                                    + " (expected: cpu=PERCENT, in-flight=N or lag=N, e.g. in-flight=4)");
                return ExitCodes.USAGE;
            }
            out.println(control.autoscale(role, policy(matcher.group(1), Double.parseDouble(matcher.group(2)))));
            return ExitCodes.OK;
        } catch (IllegalStateException e) {
            spec.commandLine().getErr().println("error: " + e.getMessage());
            return ExitCodes.FAILED;
        }
    }

    private Map<String, Object> policy(String metric, double value) {
        Map<String, Object> policy = new LinkedHashMap<>();
        policy.put("min", min);
        policy.put("max", max);
        policy.put("metric", metric);
        policy.put("target", value);
        policy.put("scaleUpWindowSeconds", scaleUpWindow.toMillis() / 1000.0);
        policy.put("scaleDownWindowSeconds", scaleDownWindow.toMillis() / 1000.0);
        policy.put("cooldownSeconds", cooldown.toMillis() / 1000.0);
        return policy;
    }
}
