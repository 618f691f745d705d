package dev.millions.ops.node;

import java.nio.file.Path;
import java.util.Optional;

/** How a client logs in to a database node; asked when the client starts, once the database runs. */
public interface DatabaseAccess {

    /** The database cluster's name (its node's): how the app's data tier names it. */
    String cluster();

    String jdbcUrl();

    String username();

    String password();

    /**
     * For a replicated database, the file of its members ({@code host:port} lines, rewritten when they
     * change), which a client routes over itself.
     */
    Optional<Path> nodesFile();
}
