package dev.millions.app.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import dev.millions.postgres.PostgresServer;

/**
 * Real PostgreSQL servers for the tests, started by the project's launcher. Most tests share one for
 * the whole test JVM, started on first use and stopped when the JVM exits; Spring's context cache then
 * reuses one application context for every test class that shares the configuration.
 */
public final class TestDatabase {

    private static PostgresServer shared;

    private TestDatabase() {}

    public static synchronized PostgresServer get() {
        if (shared == null) {
            PostgresServer started = startNew();
            Runtime.getRuntime().addShutdownHook(new Thread(started::stop, "test-postgres-stop"));
            shared = started;
        }
        return shared;
    }

    /** A server of the caller's own, for a test that stops it; the caller stops it in the end. */
    public static PostgresServer startNew() {
        try {
            Path folder = Files.createTempDirectory("millions-app-test-");
            // The server may run as another account (when the tests run as root): let it in.
            Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxr-xr-x"));
            PostgresServer server = PostgresServer.builder().dataDirectory(folder.resolve("db")).port(0).build();
            server.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
