package dev.millions.postgres;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/** The superuser's password of a launched server, kept beside its data directory (owner-only). */
final class PasswordFile {

    private final Path file;

    PasswordFile(Path file) {
        this.file = file;
    }

    /**
     * The password to use: the one given, else the primary's (a standby is a copy, with its primary's
     * roles), else the one stored, else a new random one for a data directory about to be initialised.
     *
     * @param given the password the spec names, or {@code null}
     * @param primaryPassword the primary's password for a standby, or {@code null}
     */
    String resolve(String given, String primaryPassword, DataDirectory data) {
        try {
            if (given != null) {
                return given;
            }
            if (primaryPassword != null) {
                write(primaryPassword);
                return primaryPassword;
            }
            if (Files.exists(file)) {
                return Files.readString(file, StandardCharsets.UTF_8).strip();
            }
            if (!data.needsInit()) {
                throw new PostgresException("data directory " + data.requested() + " exists but its password file "
                                            + file + " is missing: give the password explicitly");
            }
            byte[] random = new byte[24];
            new SecureRandom().nextBytes(random);
            String generated = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            write(generated);
            return generated;
        } catch (IOException e) {
            throw new PostgresException("cannot read or write the password file " + file + ": " + e, e);
        }
    }

    private void write(String value) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, value + '\n', StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    }
}
