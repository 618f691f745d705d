package dev.millions.bench.workload;

/** The operations a mix is made of, each one call to the app's API (or two, for a log-out/log-in). */
enum OperationKind {
    VIEW_PROFILE("view-profile", false),
    USER_POSTS("user-posts", false),
    READ_POST("read-post", false),
    FEED("feed", false),
    CREATE_POST("create-post", true),
    FOLLOW("follow", true),
    SIGN_UP("sign-up", true),
    LOG_IN("log-in", false),
    ME("me", false),
    LOG_OUT_IN("log-out-in", false);

    private final String id;
    private final boolean write;

    OperationKind(String id, boolean write) {
        this.id = id;
        this.write = write;
    }

    String id() {
        return id;
    }

    /** Whether it writes the photo app's data (a session is not counted as data). */
    boolean write() {
        return write;
    }
}
