package dev.millions.edge.health;

import java.util.function.LongSupplier;

/**
 * Caps retries at a share of requests, so that retries cannot multiply the load on a struggling pool.
 *
 * <p>Design: Finagle's {@code RetryBudget}: every request deposits {@code percent}/100 of a token,
 * every retry withdraws one, and a floor of {@code minPerSecond} tokens a second keeps a quiet proxy
 * able to retry at all. The balance is capped at ten seconds' worth of the floor plus deposits.
 */
public final class RetryBudget {

    /** Balances are kept in thousandths of a token, so that shares like 20 % add up exactly. */
    private static final long UNIT = 1_000;

    private final long depositPerRequest;
    private final long minPerSecond;
    private final long cap;
    private final LongSupplier ticker;
    private long balance;
    private long lastNanos;

    public RetryBudget(int percent, int minPerSecond, LongSupplier ticker) {
        this.depositPerRequest = percent * UNIT / 100;
        this.minPerSecond = minPerSecond * UNIT;
        this.cap = Math.max(10, minPerSecond * 10L) * UNIT;
        this.ticker = ticker;
        this.lastNanos = ticker.getAsLong();
        this.balance = this.minPerSecond;
    }

    public synchronized void deposit() {
        refill();
        balance = Math.min(cap, balance + depositPerRequest);
    }

    public synchronized boolean tryWithdraw() {
        refill();
        if (balance >= UNIT) {
            balance -= UNIT;
            return true;
        }
        return false;
    }

    private void refill() {
        long now = ticker.getAsLong();
        long earned = (now - lastNanos) / 1_000_000 * minPerSecond / 1_000;
        if (earned > 0 || minPerSecond == 0) {
            balance = Math.min(cap, balance + earned);
            lastNanos = now;
        }
    }
}
