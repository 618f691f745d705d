package dev.millions.bench.workload;

import static dev.millions.bench.Preconditions.checkArgument;

import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * Draws item indexes 0..n-1 with Zipfian popularity: item of rank k is drawn with probability
 * proportional to 1 / k^s.
 *
 * <p>Design: the rejection-free method of Gray et al., "Quickly Generating Billion-Record Synthetic
 * Databases" (SIGMOD 1994), as YCSB's {@code ZipfianGenerator} uses it: zeta(n) is summed once, then
 * each draw costs one random number and one {@code pow}. Ranks are then scrambled through a seeded
 * permutation, so that the popular items are spread over the population instead of being the first
 * ones created.
 */
public final class Zipfian {

    private final int n;
    private final double theta;
    private final double alpha;
    private final double zetaN;
    private final double eta;
    private final int[] itemOfRank;

    private Zipfian(int n, double theta, long permutationSeed) {
        this.n = n;
        this.theta = theta;
        this.alpha = 1.0 / (1.0 - theta);
        this.zetaN = zeta(n, theta);
        double zeta2 = zeta(2, theta);
        this.eta = n == 1 ? 0 : (1 - Math.pow(2.0 / n, 1 - theta)) / (1 - zeta2 / zetaN);
        this.itemOfRank = permutation(n, permutationSeed);
    }

    /**
     * @param n how many items
     * @param skew the exponent s, in [0, 1): 0 is uniform, 0.99 is YCSB's default and very skewed
     * @param permutationSeed which items are the popular ones
     */
    public static Zipfian of(int n, double skew, long permutationSeed) {
        checkArgument(n > 0, "n: %s (expected: > 0)", n);
        checkArgument(skew >= 0 && skew < 1, "skew: %s (expected: >= 0 and < 1)", skew);
        return new Zipfian(n, skew, permutationSeed);
    }

    public int size() {
        return n;
    }

    /** The item of a random rank. */
    public int next(RandomGenerator random) {
        return itemOfRank[nextRank(random)];
    }

    /** A rank, 0 the most popular. */
    int nextRank(RandomGenerator random) {
        double u = random.nextDouble();
        double uz = u * zetaN;
        if (uz < 1.0) {
            return 0;
        }
        if (n > 1 && uz < 1.0 + Math.pow(0.5, theta)) {
            return 1;
        }
        int rank = (int) (n * Math.pow(eta * u - eta + 1, alpha));
        return Math.min(rank, n - 1);
    }

    /** The probability of the item of rank {@code rank} (0-based): for tests and reports. */
    double probabilityOfRank(int rank) {
        return 1.0 / Math.pow(rank + 1, theta) / zetaN;
    }

    private static double zeta(int n, double theta) {
        double sum = 0;
        for (int i = 1; i <= n; i++) {
            sum += 1.0 / Math.pow(i, theta);
        }
        return sum;
    }

    private static int[] permutation(int n, long seed) {
        int[] items = new int[n];
        for (int i = 0; i < n; i++) {
            items[i] = i;
        }
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = items[i];
            items[i] = items[j];
            items[j] = swap;
        }
        return items;
    }
}
