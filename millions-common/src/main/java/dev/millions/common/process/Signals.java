package dev.millions.common.process;

import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;

/** Signals by name, as {@code kill -s}: the JDK sends only TERM and KILL. */
public final class Signals {

    private Signals() {}

    /** Sends {@code signal} to {@code pid}; false when it could not be sent (no such process, say). */
    public static boolean send(long pid, String signal) {
        try {
            return new ProcessBuilder("kill", "-s", signal, Long.toString(pid)).redirectErrorStream(true)
                                                                               .redirectOutput(Redirect.DISCARD)
                                                                               .start().waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
