package dev.millions.common.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileTreesTest {

    @TempDir
    Path folder;

    @Test
    void delete_removesTheFolderAndAllItHolds() throws IOException {
        Path root = Files.createDirectories(folder.resolve("root/a/b"));
        Files.writeString(root.resolve("file"), "x");
        Files.writeString(folder.resolve("root/top"), "y");

        FileTrees.delete(folder.resolve("root"));

        assertThat(folder.resolve("root")).doesNotExist();
    }

    @Test
    void delete_ofWhatDoesNotExist_doesNothing() throws IOException {
        FileTrees.delete(folder.resolve("missing"));

        assertThat(folder).isEmptyDirectory();
    }

    @Test
    void delete_removesALinkInside_butNotWhatItPointsTo() throws IOException {
        Path kept = Files.createDirectories(folder.resolve("kept"));
        Files.writeString(kept.resolve("data"), "z");
        Path root = Files.createDirectories(folder.resolve("root"));
        Files.createSymbolicLink(root.resolve("link"), kept);

        FileTrees.delete(root);

        assertThat(root).doesNotExist();
        assertThat(kept.resolve("data")).hasContent("z");
    }
}
