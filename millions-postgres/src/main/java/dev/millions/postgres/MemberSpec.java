package dev.millions.postgres;

import java.nio.file.Path;

/** What a cluster member is made from; kept in the cluster's state for members added at run time. */
record MemberSpec(String name, Path dataDirectory, Path logFile, int port, boolean synchronous) {}
