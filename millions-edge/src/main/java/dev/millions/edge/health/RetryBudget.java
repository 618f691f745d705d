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

    private final double depositPerRequest;
    private final double minPerSecond;
    private final double cap;
    private final LongSupplier ticker;
    private double balance;
    private long lastNanos;

    public RetryBudget(int percent, int minPerSecond, LongSupplier ticker) {
        this.depositPerRequest = percent / 100.0;
        this.minPerSecond = minPerSecond;
        this.cap = Math.max(10, minPerSecond * 10);
        this.ticker = ticker;
        this.lastNanos = ticker.getAsLong();
        this.balance = minPerSecond;
    }

    public synchronized void deposit() {
        refill();
        balance = Math.min(cap, balance + depositPerRequest);
    }

    public synchronized boolean tryWithdraw() {
        refill();
        if (balance >= 1) {
            balance -= 1;
            return true;
        }
        return false;
    }

    private void refill() {
        long now = ticker.getAsLong();
        balance = Math.min(cap, balance + (now - lastNanos) / 1e9 * minPerSecond);
        lastNanos = now;
    }
}
