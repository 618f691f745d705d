package dev.millions.bench.load;

import java.util.random.RandomGenerator;

/**
 * Chooses the next operation from a seeded random source, so that a run with the same seed asks for
 * the same sequence of operations. The open loop calls it from one thread in arrival order; the closed
 * loop from each worker, with a random source per worker.
 */
@FunctionalInterface
public interface OperationSource {

    Operation next(RandomGenerator random);
}
