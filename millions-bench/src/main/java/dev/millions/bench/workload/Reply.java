package dev.millions.bench.workload;

/** An HTTP answer: its status and body. */
record Reply(int status, String body, String sessionCookie) {

    boolean ok() {
        return status >= 200 && status < 300;
    }
}
