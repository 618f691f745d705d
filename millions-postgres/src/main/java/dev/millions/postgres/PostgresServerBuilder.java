package dev.millions.postgres;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/** Builds a {@link PostgresServer} launched from the embedded binaries. */
public final class PostgresServerBuilder {

    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    private static final Pattern NODE_NAME = Pattern.compile("[A-Za-z0-9_-]{1,63}");

    private Path dataDirectory;
    private Path logFile;
    private Path cacheDirectory;
    private String listenAddress = "127.0.0.1";
    private int port;
    private String database = "millions";
    private String username = "millions";
    private String password;
    private Duration startTimeout = Duration.ofSeconds(60);
    private Duration stopTimeout = Duration.ofSeconds(30);
    private final Map<String, String> settings = new LinkedHashMap<>();
    private String nodeName;
    private PostgresServer primary;

    PostgresServerBuilder() {}

    /** The node's name among its cluster's: a standby reports it as its {@code application_name}. */
    public PostgresServerBuilder nodeName(String nodeName) {
        checkArgument(NODE_NAME.matcher(requireNonNull(nodeName, "nodeName")).matches(),
                      "nodeName: %s (expected: letters, digits, '-' or '_', at most 63)", nodeName);
        this.nodeName = nodeName;
        return this;
    }

    /**
     * Makes this server a standby of {@code primary}, a server launched by this process: a new data
     * directory is cloned from it instead of initialised, and the server streams its WAL.
     */
    public PostgresServerBuilder replicaOf(PostgresServer primary) {
        checkArgument(requireNonNull(primary, "primary") instanceof LaunchedPostgresServer,
                      "primary: %s (expected: a server launched by this process)", primary);
        this.primary = primary;
        return this;
    }

    /**
     * The data directory: created and initialised when missing or empty, reused otherwise. When the
     * server's account cannot reach it (a folder under a private home, say), the data lives in
     * {@code /var/lib/millions} and this path becomes a link to it.
     */
    public PostgresServerBuilder dataDirectory(Path dataDirectory) {
        this.dataDirectory = requireNonNull(dataDirectory, "dataDirectory").toAbsolutePath().normalize();
        return this;
    }

    /** Where the server's output goes; by default {@code <dataDirectory>.log} beside the data directory. */
    public PostgresServerBuilder logFile(Path logFile) {
        this.logFile = requireNonNull(logFile, "logFile").toAbsolutePath().normalize();
        return this;
    }

    /** Where the binaries are unpacked once; by default {@code MILLIONS_CACHE} or a per-user cache folder. */
    public PostgresServerBuilder cacheDirectory(Path cacheDirectory) {
        this.cacheDirectory = requireNonNull(cacheDirectory, "cacheDirectory").toAbsolutePath().normalize();
        return this;
    }

    public PostgresServerBuilder listenAddress(String listenAddress) {
        this.listenAddress = requireNonNull(listenAddress, "listenAddress");
        return this;
    }

    /** The TCP port; 0 picks a free one when the server starts. */
    public PostgresServerBuilder port(int port) {
        checkArgument(port >= 0 && port <= 65535, "port: %s (expected: 0..65535)", port);
        this.port = port;
        return this;
    }

    public PostgresServerBuilder database(String database) {
        checkArgument(IDENTIFIER.matcher(requireNonNull(database, "database")).matches(),
                      "database: %s (expected: a lower-case SQL identifier)", database);
        this.database = database;
        return this;
    }

    public PostgresServerBuilder username(String username) {
        checkArgument(IDENTIFIER.matcher(requireNonNull(username, "username")).matches(),
                      "username: %s (expected: a lower-case SQL identifier)", username);
        this.username = username;
        return this;
    }

    /**
     * The superuser's password. By default one is generated when the data directory is initialised
     * and kept in {@code <dataDirectory>.password} (mode 0600) for later runs.
     */
    public PostgresServerBuilder password(String password) {
        requireNonNull(password, "password");
        checkArgument(password.length() >= 8 && password.indexOf('\n') < 0,
                      "password: %s characters (expected: >= 8, one line)", password.length());
        this.password = password;
        return this;
    }

    /** A server setting passed as {@code -c name=value}, e.g. {@code ("max_connections", "200")}. */
    public PostgresServerBuilder setting(String name, String value) {
        checkArgument(IDENTIFIER.matcher(requireNonNull(name, "name")).matches(),
                      "setting name: %s (expected: a PostgreSQL parameter name)", name);
        settings.put(name, requireNonNull(value, "value"));
        return this;
    }

    public PostgresServerBuilder startTimeout(Duration startTimeout) {
        checkArgument(!startTimeout.isNegative() && !startTimeout.isZero(),
                      "startTimeout: %s (expected: > 0)", startTimeout);
        this.startTimeout = startTimeout;
        return this;
    }

    public PostgresServerBuilder stopTimeout(Duration stopTimeout) {
        checkArgument(!stopTimeout.isNegative() && !stopTimeout.isZero(),
                      "stopTimeout: %s (expected: > 0)", stopTimeout);
        this.stopTimeout = stopTimeout;
        return this;
    }

    /** Where the generated password of the server with this data directory is kept. */
    public static Path passwordFile(Path dataDirectory) {
        Path absolute = dataDirectory.toAbsolutePath().normalize();
        return absolute.resolveSibling(absolute.getFileName() + ".password");
    }

    public PostgresServer build() {
        if (dataDirectory == null) {
            throw new IllegalStateException("dataDirectory is required");
        }
        Path log = logFile != null ? logFile
                                   : dataDirectory.resolveSibling(dataDirectory.getFileName() + ".log");
        Path cache = cacheDirectory != null ? cacheDirectory : CacheDirectory.defaultFor(ServerAccount.SYSTEM_ACCOUNT);
        String name = nodeName != null ? nodeName : dataDirectory.getFileName().toString();
        return new LaunchedPostgresServer(new LaunchSpec(dataDirectory, log, cache, listenAddress, port, database,
                                                         username, password, startTimeout, stopTimeout,
                                                         Map.copyOf(settings), name),
                                          (LaunchedPostgresServer) primary);
    }

    static void checkArgument(boolean expression, String template, Object... args) {
        if (!expression) {
            throw new IllegalArgumentException(String.format(template, args));
        }
    }

    /** What the builder validated, handed to the server as one value. */
    record LaunchSpec(Path dataDirectory, Path logFile, Path cacheDirectory, String listenAddress, int port,
                      String database, String username, String password, Duration startTimeout,
                      Duration stopTimeout, Map<String, String> settings, String nodeName) {}
}
