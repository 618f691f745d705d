package dev.millions.bench.workload;

/** An HTTP answer: its status and body. */
public record Reply(int status, String body, String sessionCookie) {

    public boolean ok() {
        return status >= 200 && status < 300;
    }
}
