package dev.millions.bench.fault;

import java.time.Duration;

/**
 * The running system as faults see it: nodes addressed by name or role. The {@code millions} command
 * implements it over the run folder's state and the supervisor.
 */
public interface FaultTarget {

    /**
     * The node's name.
     *
     * @throws FaultException when no node, or more than one, answers to {@code nameOrRole}
     */
    String resolve(String nameOrRole);

    /**
     * Does it, and says what was done, e.g. {@code SIGKILL to web-1 (pid 4242)}.
     *
     * @throws FaultException when it cannot be done, with the reason
     */
    String inject(FaultAction action, String node, Duration argument);
}
