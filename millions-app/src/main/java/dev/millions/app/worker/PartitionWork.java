package dev.millions.app.worker;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The partitions a worker is processing, side by side on a pool of threads, one thread per partition.
 *
 * <p>A partition's messages stay in order, and partitions go on side by side, as a consumer group
 * spreads partitions over workers: ordering "by partition", the coarsest of the three orders of
 * Confluent's parallel consumer (confluentinc/parallel-consumer, 2020). Keys never span two partitions
 * of a topic, and the events parked behind a key are kept in the database, so two partitions worked on
 * at once are no different from two partitions on two workers. The consumer pauses a partition while
 * it is in work, so that its polls bring other partitions' messages; what a partition's work found is
 * taken on the consumer's thread, the only one that may touch the consumer.
 */
final class PartitionWork implements AutoCloseable {

    private final ExecutorService threads;
    private final Map<TopicPartition, CompletableFuture<Handled>> inWork = new HashMap<>();

    PartitionWork(int concurrency) {
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency: " + concurrency + " (expected: >= 1)");
        }
        AtomicInteger count = new AtomicInteger();
        this.threads = Executors.newFixedThreadPool(concurrency, task -> Thread.ofPlatform()
                .name("worker-" + count.incrementAndGet()).daemon().unstarted(task));
    }

    boolean isEmpty() {
        return inWork.isEmpty();
    }

    void start(TopicPartition partition, Supplier<Handled> work) {
        inWork.put(partition, CompletableFuture.supplyAsync(work, threads));
    }

    /** The partitions whose work has ended since the last call, with what it found; waits for none. */
    Map<TopicPartition, Handled> finished() {
        Map<TopicPartition, Handled> finished = new HashMap<>();
        for (Iterator<Map.Entry<TopicPartition, CompletableFuture<Handled>>> it = inWork.entrySet().iterator();
             it.hasNext(); ) {
            Map.Entry<TopicPartition, CompletableFuture<Handled>> entry = it.next();
            if (entry.getValue().isDone()) {
                it.remove();
                finished.put(entry.getKey(), result(entry.getKey(), entry.getValue()));
            }
        }
        return finished;
    }

    /** Waits for the work on these partitions to end, and gives what it found. */
    Map<TopicPartition, Handled> await(Collection<TopicPartition> partitions) {
        Map<TopicPartition, Handled> finished = new HashMap<>();
        for (TopicPartition partition : partitions) {
            CompletableFuture<Handled> work = inWork.remove(partition);
            if (work != null) {
                finished.put(partition, result(partition, work));
            }
        }
        return finished;
    }

    /** Waits for all the work there is; what it found no longer matters, and a failure in it neither. */
    void awaitAll() {
        List<CompletableFuture<Handled>> all = new ArrayList<>(inWork.values());
        inWork.clear();
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).exceptionally(failure -> null).join();
    }

    private static Handled result(TopicPartition partition, CompletableFuture<Handled> work) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return work.get();
                } catch (InterruptedException e) {
                    // The partition's thread is mid-transaction; its result decides its offset, so wait for it.
                    interrupted = true;
                }
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("processing " + partition + " failed: " + e.getCause(), e.getCause());
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() {
        awaitAll();
        threads.shutdown();
    }

    /**
     * What a partition's work found: the offset to commit after the messages it handled, if any, and
     * where to read the partition again later, if a message was not due or failed.
     */
    record Handled(Optional<OffsetAndMetadata> done, Optional<Hold> hold) {}

    /** Read the partition again from {@code offset} once {@code until} has come. */
    record Hold(long offset, Instant until) {}
}
