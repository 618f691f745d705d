package dev.millions.bench.soak;

import java.util.Map;

/** Reads the footprint of every node of the running system; a node that is down is left out. */
@FunctionalInterface
public interface FootprintProbe {

    /** By node name, in the order to print them. */
    Map<String, Footprint> sample() throws InterruptedException;
}
