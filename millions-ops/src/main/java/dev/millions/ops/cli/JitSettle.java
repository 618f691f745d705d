package dev.millions.ops.cli;

import java.io.IOException;

/**
 * Loads one of our JVMs in 5 s slices until two slices in a row spend under 0.5 % of their time
 * compiling, or a limit runs out: a JVM's tail latency is its own only once C2 stops recompiling the hot
 * path. Measured on the 2-core machine: C2 still recompiles the proxy's hot path after 30 s of load, and
 * the p99 of a 5 s slice falls from 2-5 ms to HAProxy's 1.6-1.9 ms once it stops. The peers (HAProxy,
 * nginx, Varnish) have no JIT.
 */
final class JitSettle {

    private static final int SLICE_SECONDS = 5;

    /** Load for {@code seconds}. */
    interface Slice {
        void run(int seconds) throws IOException, InterruptedException;
    }

    /** The JVM's compile time so far, in seconds. */
    interface CompileTime {
        double seconds() throws IOException, InterruptedException;
    }

    private JitSettle() {}

    /** Loads until the JIT settles or {@code maxSeconds} pass; a line saying which, and after how long. */
    static String await(int maxSeconds, CompileTime compileTime, Slice load) throws IOException, InterruptedException {
        int quietInARow = 0;
        double before = compileTime.seconds();
        int waited = 0;
        while (waited < maxSeconds && quietInARow < 2) {
            load.run(SLICE_SECONDS);
            waited += SLICE_SECONDS;
            double after = compileTime.seconds();
            quietInARow = after - before < SLICE_SECONDS * 0.005 ? quietInARow + 1 : 0;
            before = after;
        }
        return (quietInARow == 2 ? "JIT settled" : "JIT still compiling, measuring anyway,") + " after " + waited
               + " s more load";
    }
}
