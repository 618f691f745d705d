package dev.millions.ops.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** Presets as topology files for end-to-end tests. */
final class PresetFiles {

    private PresetFiles() {}

    /**
     * Writes the preset into {@code folder} with its fixed port (8080) made a free one, so a test never
     * collides with a system a person runs; the folder is opened to the database's account.
     */
    static Path withFreePorts(Path folder, String preset) throws IOException {
        Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxr-xr-x"));
        try (InputStream in = PresetFiles.class.getResourceAsStream("/presets/" + preset + ".yaml")) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            Path file = folder.resolve(preset + ".yaml");
            Files.writeString(file, text.replace("port: 8080", "port: auto"));
            return file;
        }
    }
}
