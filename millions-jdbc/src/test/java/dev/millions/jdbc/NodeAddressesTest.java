package dev.millions.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeAddressesTest {

    @TempDir
    Path folder;

    @Test
    void file_isReadAgainOnlyWhenItChanges() throws Exception {
        Path file = folder.resolve("db-1-cluster.nodes");
        Files.writeString(file, "# members\n127.0.0.1:5433\n127.0.0.1:5434\n");
        NodeAddresses addresses = NodeAddresses.fromFile(file);

        assertThat(addresses.initial()).containsExactly("127.0.0.1:5433", "127.0.0.1:5434");
        assertThat(addresses.changed()).isEmpty();

        Files.writeString(file, "127.0.0.1:5433\n127.0.0.1:5434\n127.0.0.1:5435\n");
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));
        assertThat(addresses.changed()).contains(List.of("127.0.0.1:5433", "127.0.0.1:5434", "127.0.0.1:5435"));
    }

    @Test
    void malformedOrEmptyRewrite_keepsTheNodesKnownSoFar() throws Exception {
        Path file = folder.resolve("nodes");
        Files.writeString(file, "127.0.0.1:5433\n");
        NodeAddresses addresses = NodeAddresses.fromFile(file);
        addresses.initial();

        Files.writeString(file, "not-an-address\n");
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));
        assertThat(addresses.changed()).isEmpty();
        Files.writeString(file, "");
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(10)));
        assertThat(addresses.changed()).isEmpty();
    }

    @Test
    void missingFile_atStart_isAClearError() {
        assertThatThrownBy(() -> NodeAddresses.fromFile(folder.resolve("absent")).initial())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot be read");
    }
}
