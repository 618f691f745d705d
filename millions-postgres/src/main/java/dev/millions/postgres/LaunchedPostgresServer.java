package dev.millions.postgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.millions.common.process.ChildProcess;
import dev.millions.common.process.ChildServer;
import dev.millions.common.process.LogTail;
import dev.millions.common.process.Ports;
import dev.millions.postgres.PostgresServerBuilder.LaunchSpec;

/** A PostgreSQL server run from the embedded binaries as a child process of this one. */
final class LaunchedPostgresServer extends ChildServer implements PostgresServer {

    private static final Logger logger = LoggerFactory.getLogger(LaunchedPostgresServer.class);
    private static final long MIN_FREE_BYTES = 64L * 1024 * 1024;
    private static final int LOG_TAIL_LINES = 15;

    private final LaunchSpec spec;
    private final PasswordFile passwords;
    private volatile int port;
    private volatile String password;
    /** Where a new data directory is cloned from; {@code null} for a server that initialises its own. */
    private volatile LaunchedPostgresServer primary;
    private volatile Path realData;

    LaunchedPostgresServer(LaunchSpec spec, LaunchedPostgresServer primary) {
        super(spec.logFile());
        this.spec = spec;
        this.primary = primary;
        this.passwords = new PasswordFile(PostgresServerBuilder.passwordFile(spec.dataDirectory()));
        this.port = spec.port();
        this.password = spec.password();
    }

    @Override
    public synchronized void start() {
        if (running()) {
            return;
        }
        long startNanos = System.nanoTime();
        ServerAccount account = ServerAccount.forServer();
        PostgresBinaries binaries = PostgresBinaries.install(spec.cacheDirectory(), account);
        DataDirectory data = DataDirectory.prepare(spec.dataDirectory(), account, binaries.majorVersion());
        checkFreeSpace(data.real());
        realData = data.real();
        password = passwords.resolve(spec.password(), primary == null ? null : primary.password(), data);
        // A restart keeps the port it first got: clients were given that address.
        if (port == 0) {
            port = freePort();
        }
        if (data.needsInit()) {
            if (primary != null) {
                cloneFrom(primary, account, data.real());
            } else {
                initdb(binaries, account, data);
            }
        }
        if (!Ports.isFree(spec.listenAddress(), port)) {
            throw new PostgresException("port " + port + " on " + spec.listenAddress() + " is already in use");
        }
        process = spawn(binaries, account, data);
        ChildProcess started = process;
        try {
            ReadinessProbe.awaitConnection(jdbcUrlFor("postgres"), spec.username(), password, spec.startTimeout(),
                                           started::isAlive, this::diagnosedLogTail);
            createDatabaseIfMissing();
        } catch (RuntimeException e) {
            stop();
            throw e;
        }
        logger.info("PostgreSQL ready at {} (pid {}, data {}) in {} ms", jdbcUrl(), started.pid(), data.real(),
                    (System.nanoTime() - startNanos) / 1_000_000);
    }

    @Override
    public synchronized void stop() {
        ChildProcess running = process;
        if (running == null || !running.isAlive()) {
            return;
        }
        long startNanos = System.nanoTime();
        // SIGINT is PostgreSQL's "fast" shutdown: it ends open sessions and checkpoints. SIGTERM ("smart")
        // would wait for every pooled client to hang up. SIGQUIT is its immediate shutdown.
        running.stop(List.of(ChildProcess.StopStep.of("INT", spec.stopTimeout()),
                             ChildProcess.StopStep.of("QUIT", Duration.ofSeconds(5))));
        logger.info("PostgreSQL (pid {}) stopped in {} ms", running.pid(), (System.nanoTime() - startNanos) / 1_000_000);
    }

    /**
     * Replaces this server's data with a fresh clone of {@code source} and starts it as its standby: how
     * a fenced primary rejoins and a dead replica is replaced. Always re-cloning is the simple safe rule
     * without {@code pg_rewind}: a data folder that holds WAL the new primary never saw would fork off
     * its timeline.
     */
    synchronized void rebuildAsStandbyOf(LaunchedPostgresServer source) {
        kill();
        primary = source;
        try {
            StandbyClone.empty(realData);
        } catch (IOException e) {
            throw new PostgresException("cannot empty " + realData + " to re-clone it: " + e, e);
        }
        start();
    }

    /** The primary a new data directory is cloned from. */
    void standbyOf(LaunchedPostgresServer source) {
        primary = source;
    }

    /** Whether the data directory holds a cluster already. */
    boolean hasData() {
        return Files.exists(spec.dataDirectory().resolve("PG_VERSION"));
    }

    /** Whether the data directory holds a standby's data (a promoted node's does not). */
    boolean hasStandbyData() {
        return Files.exists(spec.dataDirectory().resolve("standby.signal"));
    }

    /**
     * SIGKILL to the postmaster and every backend, and waits until the postmaster is gone: the fence
     * that a paused server cannot undo. The backends go too: a paused one would otherwise wake up
     * and finish what its client sent.
     */
    synchronized void kill() {
        ChildProcess running = process;
        if (running != null) {
            running.kill();
        }
    }

    /** Points this standby at another primary without a restart. */
    void follow(LaunchedPostgresServer newPrimary) throws SQLException {
        primary = newPrimary;
        try (Connection connection = ReadinessProbe.connect(jdbcUrlFor("postgres"), spec.username(), password);
             Statement statement = connection.createStatement()) {
            statement.execute("ALTER SYSTEM SET primary_conninfo = " + StandbyClone.quote(newPrimary.conninfoFor(this)));
            statement.execute("SELECT pg_reload_conf()");
        }
    }

    String nodeName() {
        return spec.nodeName();
    }

    String host() {
        return spec.listenAddress();
    }

    int port() {
        return port;
    }

    /** A connection as the superuser to the maintenance database, for cluster management. */
    Connection connectAdmin() throws SQLException {
        return ReadinessProbe.connect(jdbcUrlFor("postgres"), spec.username(), password);
    }

    private String conninfoFor(LaunchedPostgresServer standby) {
        return StandbyClone.conninfo(spec.listenAddress(), port, spec.username(), password, standby.nodeName());
    }

    private void cloneFrom(LaunchedPostgresServer source, ServerAccount account, Path target) {
        long startNanos = System.nanoTime();
        try (Connection connection = source.connectAdmin()) {
            StandbyClone.copy(connection, source.realData, target, account, source.conninfoFor(this));
        } catch (SQLException e) {
            throw new PostgresException("cannot connect to " + source.nodeName() + " to clone it: " + e.getMessage(), e);
        }
        logger.info("cloned {} from {} in {} ms", spec.nodeName(), source.nodeName(),
                    (System.nanoTime() - startNanos) / 1_000_000);
    }

    @Override
    public boolean isReady() {
        ChildProcess running = process;
        return running != null && running.isAlive() && ReadinessProbe.connects(jdbcUrl(), spec.username(), password);
    }

    @Override
    public String jdbcUrl() {
        return jdbcUrlFor(spec.database());
    }

    @Override
    public String username() {
        return spec.username();
    }

    @Override
    public String password() {
        if (password == null) {
            throw new IllegalStateException("the password is known once the server has started");
        }
        return password;
    }

    private String jdbcUrlFor(String database) {
        String host = spec.listenAddress().contains(":") ? '[' + spec.listenAddress() + ']' : spec.listenAddress();
        return "jdbc:postgresql://" + host + ':' + port + '/' + database;
    }

    private void initdb(PostgresBinaries binaries, ServerAccount account, DataDirectory data) {
        long startNanos = System.nanoTime();
        Path pwfile = null;
        try {
            pwfile = Files.createTempFile(data.real().getParent(), ".pwfile-", "");
            Files.writeString(pwfile, password + '\n', StandardCharsets.UTF_8);
            account.own(pwfile);
            List<String> command = account.command(List.of(
                    binaries.initdb().toString(), "--pgdata=" + data.real(), "--username=" + spec.username(),
                    "--pwfile=" + pwfile, "--auth-host=scram-sha-256", "--auth-local=scram-sha-256",
                    "--encoding=UTF8", "--locale=C"));
            ChildProcess initdb = ChildProcess.start(command, spec.logFile(), Map.of());
            if (!initdb.awaitExit(spec.startTimeout())) {
                initdb.kill();
                if (Thread.currentThread().isInterrupted()) {
                    throw new PostgresException("interrupted during initdb of " + data.requested());
                }
                throw new PostgresException("initdb did not finish within " + spec.startTimeout().toMillis()
                                            + " ms; see " + spec.logFile());
            }
            if (initdb.exitCode() != 0) {
                String tail = LogTail.of(spec.logFile(), LOG_TAIL_LINES);
                throw new PostgresException(Diagnosis.of(tail, port) + "initdb failed with exit code "
                                            + initdb.exitCode() + " for " + data.requested() + "; last log lines:\n"
                                            + tail);
            }
            logger.info("initdb of {} took {} ms", data.real(), (System.nanoTime() - startNanos) / 1_000_000);
        } catch (IOException e) {
            throw new PostgresException("cannot run initdb for " + data.requested() + ": " + e, e);
        } finally {
            deleteQuietly(pwfile);
        }
    }

    private ChildProcess spawn(PostgresBinaries binaries, ServerAccount account, DataDirectory data) {
        List<String> server = new ArrayList<>(List.of(
                binaries.postgres().toString(), "-D", data.real().toString(), "-p", Integer.toString(port),
                "-c", "listen_addresses=" + spec.listenAddress(),
                // TCP only: a socket folder would be one more path that has to suit two accounts.
                "-c", "unix_socket_directories="));
        server.addAll(jsonLogSettings(data));
        spec.settings().forEach((name, value) -> server.addAll(List.of("-c", name + '=' + value)));
        try {
            return ChildProcess.start(account.command(server), spec.logFile(), Map.of());
        } catch (IOException e) {
            throw new PostgresException("cannot start " + binaries.postgres() + ": " + e, e);
        }
    }

    private void createDatabaseIfMissing() {
        try (Connection connection = ReadinessProbe.connect(jdbcUrlFor("postgres"), spec.username(), password);
             PreparedStatement exists = connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            exists.setString(1, spec.database());
            try (ResultSet rows = exists.executeQuery()) {
                if (rows.next()) {
                    return;
                }
            }
            try (Statement create = connection.createStatement()) {
                // The name was checked against an identifier pattern by the builder.
                create.execute("CREATE DATABASE \"" + spec.database() + '"');
            }
        } catch (SQLException e) {
            throw new PostgresException("cannot create database '" + spec.database() + "' at " + jdbcUrl() + ": "
                                        + e.getMessage(), e);
        }
    }

    private int freePort() {
        try {
            return Ports.free(spec.listenAddress());
        } catch (UncheckedIOException e) {
            throw new PostgresException(e.getMessage(), e);
        }
    }

    private static void checkFreeSpace(Path dir) {
        try {
            FileStore store = Files.getFileStore(dir);
            if (store.getUsableSpace() < MIN_FREE_BYTES) {
                throw new PostgresException("disk full: " + dir + " has " + store.getUsableSpace() / (1024 * 1024)
                                            + " MiB free, PostgreSQL needs at least "
                                            + MIN_FREE_BYTES / (1024 * 1024) + " MiB");
            }
        } catch (IOException e) {
            throw new PostgresException("cannot check free space of " + dir + ": " + e, e);
        }
    }

    /**
     * Once started, the server logs in PostgreSQL's {@code jsonlog} format (one JSON object a line: the
     * time, the session's application name, the error's fields) to {@code log/NAME.json} in its data
     * directory, which its account owns, and a link beside its output log ({@code NAME.json} next to
     * {@code NAME.log}) leads there. The output log keeps what the server writes before its logging
     * collector runs: a taken port, a bad setting, a foreign lock file. Not rotated.
     */
    private List<String> jsonLogSettings(DataDirectory data) {
        Path json = data.real().resolve("log").resolve(jsonLogName());
        Path link = spec.logFile().resolveSibling(jsonLogName());
        try {
            if (!Files.isSymbolicLink(link) && !Files.exists(link)) {
                Files.createSymbolicLink(link, json);
            }
        } catch (IOException | UnsupportedOperationException e) {
            logger.warn("no link {} to the JSON log {}: {}", link, json, e.toString());
        }
        String name = spec.logFile().getFileName().toString();
        return List.of("-c", "logging_collector=on", "-c", "log_destination=jsonlog",
                       "-c", "log_directory=" + json.getParent(), "-c", "log_filename=" + name,
                       "-c", "log_rotation_age=0", "-c", "log_rotation_size=0");
    }

    /** {@code db.log}'s JSON sibling, {@code db.json}: PostgreSQL's name for a {@code jsonlog} file. */
    private String jsonLogName() {
        String name = spec.logFile().getFileName().toString();
        return (name.endsWith(".log") ? name.substring(0, name.length() - 4) : name) + ".json";
    }

    private String diagnosedLogTail() {
        String tail = LogTail.of(spec.logFile(), LOG_TAIL_LINES);
        Path json = realData == null ? null : realData.resolve("log").resolve(jsonLogName());
        if (json != null && Files.isReadable(json)) {
            tail = tail + LogTail.of(json, LOG_TAIL_LINES);
        }
        String diagnosis = Diagnosis.of(tail, port);
        return diagnosis.isEmpty() ? tail : diagnosis + "see " + spec.logFile() + '\n' + tail;
    }

    private static void deleteQuietly(Path file) {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            logger.warn("cannot delete {}: {}", file, e.toString());
        }
    }

    @Override
    public String toString() {
        return "PostgresServer{" + spec.dataDirectory() + ", port " + port + ", pid " + pid() + '}';
    }
}
