package dev.millions.postgres;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * What a cluster must remember across restarts: which node is the primary (it holds the newest data),
 * the epoch, and the members added at run time (the builder knows the others).
 */
record ClusterState(String primary, long epoch, List<MemberSpec> added) {

    ClusterState {
        added = List.copyOf(added);
    }

    static ClusterState read(Path file, String defaultPrimary) {
        if (!Files.exists(file)) {
            return new ClusterState(defaultPrimary, 0, List.of());
        }
        Properties state = new Properties();
        try (var reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            state.load(reader);
        } catch (IOException e) {
            throw new PostgresException("cannot read the cluster state " + file + ": " + e, e);
        }
        List<MemberSpec> added = new ArrayList<>();
        for (String key : state.stringPropertyNames().stream().sorted().toList()) {
            if (key.startsWith("added.")) {
                String[] parts = state.getProperty(key).split("\\|", 4);
                if (parts.length != 4) {
                    throw new PostgresException("the cluster state " + file + " has a malformed " + key);
                }
                added.add(new MemberSpec(key.substring("added.".length()), Path.of(parts[2]), Path.of(parts[3]),
                                         Integer.parseInt(parts[0]), Boolean.parseBoolean(parts[1])));
            }
        }
        return new ClusterState(state.getProperty("primary", defaultPrimary),
                                Long.parseLong(state.getProperty("epoch", "0")), added);
    }

    void write(Path file) throws IOException {
        Properties state = new Properties();
        state.setProperty("primary", primary);
        state.setProperty("epoch", Long.toString(epoch));
        for (MemberSpec member : added) {
            state.setProperty("added." + member.name(), member.port() + "|" + member.synchronous() + '|'
                                                        + member.dataDirectory() + '|' + member.logFile());
        }
        Files.createDirectories(file.getParent());
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        try (var writer = Files.newBufferedWriter(temporary, StandardCharsets.UTF_8)) {
            state.store(writer, "written by the failover manager");
        }
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
