package dev.millions.ops.node;

/** How a client reaches a cache cluster: the members it starts from. */
public interface CacheAccess {

    /** {@code host:port,host:port,...} */
    String seeds();
}
