package dev.millions.ops.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

import dev.millions.ops.node.Installation;
import dev.millions.ops.supervisor.NodeState;
import dev.millions.ops.supervisor.RunState;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "dlq", mixinStandardHelpOptions = true,
        description = { "The dead-letter topics (posts.dlq, follows.dlq): the events that workers could not apply, "
                        + "with their error, attempts and first failure. An operator lists them, looks at one, and "
                        + "replays it to its event topic once the cause is fixed (its effects apply once: the "
                        + "workers' idempotency guard holds for replays too)." })
final class DlqCommand {

    @Spec
    CommandSpec spec;

    /** Where the dead letters are: the options every subcommand takes. */
    static final class Source {
        @Option(names = "--bootstrap", paramLabel = "HOST:PORT,...",
                description = "The Kafka brokers (default: the kafka node of the running system).")
        String bootstrap;

        @Mixin
        RunFolderOption runFolderOption;
    }

    @Command(name = "list", description = "One line per dead letter: its id, key, attempts, first failure and error.")
    int list(@Mixin Source source) {
        return withLetters(source, letters -> {
            List<ConsumerRecord<String, byte[]>> all = letters.all();
            PrintWriter out = spec.commandLine().getOut();
            all.forEach(letter -> out.println(DeadLetters.id(letter) + "  key " + letter.key() + "  attempts "
                                              + DeadLetters.header(letter, "millions-attempts") + "  since "
                                              + DeadLetters.header(letter, "millions-first-failure") + "  "
                                              + abbreviate(DeadLetters.header(letter, "millions-error"))));
            out.println(all.size() + " dead letter(s)");
            return ExitCodes.OK;
        });
    }

    @Command(name = "show", description = "A dead letter's headers and event.")
    int show(@Parameters(paramLabel = "ID", description = "As list prints it, e.g. posts.dlq-0@3") String id,
             @Mixin Source source) {
        return withLetters(source, letters -> {
            Optional<ConsumerRecord<String, byte[]>> letter = letters.find(id);
            if (letter.isEmpty()) {
                spec.commandLine().getErr().println("error: no dead letter " + id + " (see `millions queue dlq list`)");
                return ExitCodes.FAILED;
            }
            PrintWriter out = spec.commandLine().getOut();
            out.println("id: " + id);
            out.println("key: " + letter.get().key());
            for (Header header : letter.get().headers()) {
                out.println(header.key() + ": " + new String(header.value(), StandardCharsets.UTF_8));
            }
            out.println("event: " + new String(letter.get().value(), StandardCharsets.UTF_8));
            return ExitCodes.OK;
        });
    }

    @Command(name = "replay", description = "Sends dead letters back to their event topic, to be applied again.")
    int replay(@Parameters(paramLabel = "ID", arity = "0..*", description = "As list prints them") List<String> ids,
               @Option(names = "--all", description = "Every dead letter.") boolean all, @Mixin Source source) {
        if ((ids == null || ids.isEmpty()) == !all) {
            spec.commandLine().getErr().println("error: name the dead letters to replay, or --all");
            return ExitCodes.USAGE;
        }
        return withLetters(source, letters -> {
            List<ConsumerRecord<String, byte[]>> chosen = all ? letters.all() : ids.stream().map(id -> letters.find(id)
                    .orElseThrow(() -> new IllegalArgumentException("no dead letter " + id))).toList();
            chosen.forEach(letters::replay);
            spec.commandLine().getOut().println("replayed " + chosen.size() + " dead letter(s)");
            return ExitCodes.OK;
        });
    }

    private int withLetters(Source source, Function<DeadLetters, Integer> action) {
        Optional<String> servers = bootstrapServers(source);
        if (servers.isEmpty()) {
            spec.commandLine().getErr().println("error: no kafka node runs in this run folder; start a topology with one "
                                                + "(./millions up queue) or give --bootstrap");
            return ExitCodes.FAILED;
        }
        try (DeadLetters letters = new DeadLetters(servers.get())) {
            return action.apply(letters);
        } catch (IllegalArgumentException | IllegalStateException e) {
            spec.commandLine().getErr().println("error: " + e.getMessage());
            return ExitCodes.FAILED;
        }
    }

    private static Optional<String> bootstrapServers(Source source) {
        if (source.bootstrap != null && !source.bootstrap.isBlank()) {
            return Optional.of(source.bootstrap.strip());
        }
        return RunState.read(source.runFolderOption.runFolder(Installation.detect()).stateFile())
                       .flatMap(state -> state.nodes().stream().filter(node -> node.role().equals("kafka")).findFirst())
                       .map(NodeState::address);
    }

    private static String abbreviate(String text) {
        String line = text.replace('\n', ' ');
        return line.length() > 120 ? line.substring(0, 117) + "..." : line;
    }
}
