package dev.millions.app.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import dev.millions.postgres.PostgresServer;

/**
 * One real PostgreSQL for the whole test JVM, started by the project's launcher on first use and
 * stopped when the JVM exits. Spring's context cache then reuses one application context for every
 * test class that shares the configuration.
 */
public final class TestDatabase {

    private static PostgresServer server;

    private TestDatabase() {}

    public static synchronized PostgresServer get() {
        if (server == null) {
            try {
                Path folder = Files.createTempDirectory("millions-app-test-");
                // The server may run as another account (when the tests run as root): let it in.
                Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxr-xr-x"));
                PostgresServer started = PostgresServer.builder().dataDirectory(folder.resolve("db")).port(0).build();
                started.start();
                Runtime.getRuntime().addShutdownHook(new Thread(started::stop, "test-postgres-stop"));
                server = started;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return server;
    }
}
