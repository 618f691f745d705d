package dev.millions.jdbc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * Where the data source learns the nodes: a fixed list, or a file of {@code host:port} lines that the
 * cluster's manager rewrites when replicas are added or removed, read again whenever it changes.
 */
final class NodeAddresses {

    private final List<String> fixed;
    private final @Nullable Path file;
    private @Nullable FileTime lastModified;

    private NodeAddresses(List<String> fixed, @Nullable Path file) {
        this.fixed = fixed;
        this.file = file;
    }

    static NodeAddresses fixed(List<String> addresses) {
        return new NodeAddresses(List.copyOf(addresses), null);
    }

    static NodeAddresses fromFile(Path file) {
        return new NodeAddresses(List.of(), file);
    }

    /** The addresses now; for a file, read it (the first time, a missing file is an error). */
    List<String> initial() {
        if (file == null) {
            return fixed;
        }
        return changed().orElseThrow(() -> new IllegalArgumentException("nodes file " + file + " cannot be read"));
    }

    /** The file's addresses when it changed since the last read; empty otherwise, and for a fixed list. */
    synchronized Optional<List<String>> changed() {
        if (file == null) {
            return Optional.empty();
        }
        try {
            FileTime modified = Files.getLastModifiedTime(file);
            if (modified.equals(lastModified)) {
                return Optional.empty();
            }
            List<String> addresses = Files.readAllLines(file, StandardCharsets.UTF_8).stream().map(String::strip)
                                          .filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();
            for (String address : addresses) {
                ReplicatedDataSourceBuilder.checkAddress(address);
            }
            lastModified = modified;
            return addresses.isEmpty() ? Optional.empty() : Optional.of(addresses);
        } catch (IOException | IllegalArgumentException e) {
            // Being rewritten, or gone for a moment: the nodes known so far stay in use.
            return Optional.empty();
        }
    }
}
