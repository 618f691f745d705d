package dev.millions.bench.workload;

import java.util.concurrent.locks.ReentrantLock;

/**
 * A user the workload created, with the session it logged in with. A log-out/log-in holds the lock,
 * so that a session check never races it and mistakes the swap for a lost session.
 */
final class BenchUser {

    final String name;
    final String password;
    final ReentrantLock lock = new ReentrantLock();
    volatile String session;

    BenchUser(String name, String password) {
        this.name = name;
        this.password = password;
    }
}
