package dev.millions.ops.role.worker;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WorkerProgressTest {

    private static final String METRICS = """
            # HELP kafka_consumer_fetch_manager_records_lag The latest lag of the partition
            # TYPE kafka_consumer_fetch_manager_records_lag gauge
            kafka_consumer_fetch_manager_records_lag{client_id="w",node="worker-1",partition="0",topic="posts"} 3.0
            kafka_consumer_fetch_manager_records_lag{client_id="w",node="worker-1",partition="1",topic="posts"} 0.0
            kafka_consumer_fetch_manager_records_lag{client_id="w",node="worker-1",partition="0",topic="posts.retry.1"} 2.0
            millions_worker_messages_total{node="worker-1",outcome="applied",partition="0",topic="posts"} 40.0
            millions_worker_messages_total{node="worker-1",outcome="retried",partition="0",topic="posts"} 1.0
            millions_worker_messages_total{node="worker-1",outcome="dead-lettered",partition="0",topic="posts.retry.1"} 1.0
            millions_worker_messages_total{node="worker-1",outcome="applied",partition="1",topic="posts"} 7.0
            millions_worker_messages_total{node="worker-1",outcome="applied",partition="5",topic="posts"} 9.0
            millions_worker_rate{node="worker-1",partition="0",topic="posts"} 2.5
            millions_worker_rate{node="worker-1",partition="0",topic="posts.retry.1"} 0.1
            millions_worker_delay_seconds{node="worker-1",partition="0",topic="posts",quantile="0.5"} 0.02
            millions_worker_delay_seconds{node="worker-1",partition="0",topic="posts",quantile="0.99"} 0.085
            """;

    @Test
    void summary_sumsTheLag_andCountsOutcomes_onItsFirstLine() {
        assertThat(WorkerProgress.summary(METRICS).lines().findFirst().orElseThrow())
                .isEqualTo("lag 5 over 2 partitions (most 5 on posts-0), applied 56, retried 1, dead-lettered 1");
    }

    @Test
    void summary_showsEachAssignedPartition_withItsRetryCopiesCounted() {
        assertThat(WorkerProgress.summary(METRICS).lines().skip(1))
                .containsExactly("posts-0: lag 5, 2.6/s, applied 40, retried 1, dead-lettered 1, delay p99 85 ms",
                                 "posts-1: lag 0, 0.0/s, applied 7, retried 0, dead-lettered 0, delay p99 -");
    }

    @Test
    void summary_ofAWorkerWithNoPartitions_isOneLine() {
        assertThat(WorkerProgress.summary("jvm_threads_live_threads 30.0\n"))
                .isEqualTo("lag 0 over 0 partitions, applied 0, retried 0, dead-lettered 0");
    }
}
