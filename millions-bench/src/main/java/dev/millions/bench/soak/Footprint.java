package dev.millions.bench.soak;

/**
 * What one node holds at one moment.
 *
 * @param pid the node's (root) process, so that a restart between two samples is seen
 * @param rssBytes resident memory of the node's processes, as proportional set size: memory that
 *                 PostgreSQL's backends share is counted once, not once per backend
 * @param heapAfterGcBytes the Java heap in use right after a full collection, or -1 for a node that
 *                         is not a JVM
 * @param openFiles file descriptors open in the node's processes (sockets included)
 * @param threads threads of the node's processes
 */
public record Footprint(long pid, long rssBytes, long heapAfterGcBytes, int openFiles, int threads) {

    public boolean jvm() {
        return heapAfterGcBytes >= 0;
    }
}
