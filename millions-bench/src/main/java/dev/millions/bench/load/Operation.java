package dev.millions.bench.load;

/** One unit of work the generator times: usually one HTTP request, sometimes a request and a check. */
public interface Operation {

    /** The name a report groups by, e.g. {@code "read-post"}. */
    String name();

    /** Runs the work and says how it ended; an error is an outcome, never an exception. */
    Outcome call();
}
