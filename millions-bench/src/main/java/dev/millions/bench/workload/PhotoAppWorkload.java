package dev.millions.bench.workload;

import static dev.millions.bench.Preconditions.checkArgument;

import java.net.URI;
import java.time.Duration;

import dev.millions.bench.history.History;
import dev.millions.bench.history.Lookup;
import dev.millions.bench.load.OperationSource;

/**
 * A workload over the photo app's real API, ready to run: its users and posts exist, its operations
 * write into the history, and its lookup checks the history afterwards.
 */
public final class PhotoAppWorkload {

    private final AppWorkload source;
    private final PhotoAppClient client;
    private final Population population;

    private PhotoAppWorkload(AppWorkload source, PhotoAppClient client, Population population) {
        this.source = source;
        this.client = client;
        this.population = population;
    }

    /**
     * Creates the run's users (named {@code tag_N}), their posts and follows, through {@code base}.
     *
     * @param skew the Zipfian exponent for which users and posts are popular, in [0, 1)
     * @param freshConnectionPercent how many requests in a hundred go on a new TCP connection each
     * @throws SetupException when the app refuses or cannot be reached
     */
    public static PhotoAppWorkload prepare(URI base, Mix mix, int users, double skew, long seed, String tag,
                                           Duration requestTimeout, int freshConnectionPercent, History history)
            throws InterruptedException {
        checkArgument(users >= 2 && users <= 100_000, "users: %s (expected: 2..100000)", users);
        checkArgument(tag.matches("[a-z0-9]{1,12}"), "tag: '%s' (expected: 1 to 12 of a-z and 0-9)", tag);
        PhotoAppClient client = new PhotoAppClient(base, requestTimeout, freshConnectionPercent);
        Population population = Population.create(client, tag, users, seed, history);
        return new PhotoAppWorkload(new AppWorkload(client, mix, population, skew, seed, history), client,
                                    population);
    }

    public OperationSource operations() {
        return source;
    }

    /** Looks writes up, retrying while the system does not answer, until {@code deadlineNanos}. */
    public Lookup lookup(long deadlineNanos) {
        return new AppLookup(client, population.captions(), deadlineNanos);
    }

    /** HTTP requests sent so far, set-up included. */
    public long requests() {
        return client.requests();
    }

    public int users() {
        return population.users().size();
    }

    public int posts() {
        return population.posts().size();
    }
}
