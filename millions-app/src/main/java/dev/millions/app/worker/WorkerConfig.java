package dev.millions.app.worker;

import java.time.Clock;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import dev.millions.app.queue.QueueProperties;
import dev.millions.app.queue.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;

/** A node of role {@code worker} ({@code millions.worker.enabled}) consumes the app's events. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "millions.worker.enabled", havingValue = "true")
class WorkerConfig {

    @Bean(destroyMethod = "close")
    Forwarder forwarder(QueueProperties queue) {
        if (queue.bootstrapServers().isBlank()) {
            throw new IllegalStateException("millions.worker.enabled needs millions.queue.bootstrap-servers (the Kafka brokers)");
        }
        return new Forwarder(queue.bootstrapServers());
    }

    @Bean
    EventConsumer eventConsumer(QueueProperties queue, WorkerProperties properties, PlatformTransactionManager transactions,
                                ParkedEvents parked, Effects effects, Forwarder forwarder, MeterRegistry registry,
                                ObservationRegistry observations,
                                @Value("${spring.datasource.hikari.maximum-pool-size:10}") int poolSize) {
        if (properties.concurrency() >= poolSize) {
            // The consumer's own thread needs a connection too, to forget old applied events.
            throw new IllegalStateException("millions.worker.concurrency: " + properties.concurrency()
                                            + " (expected: < spring.datasource.hikari.maximum-pool-size, " + poolSize + ')');
        }
        RetryTopics retries = new RetryTopics(properties.retryDelays());
        Topics.create(queue, retries.all());
        Clock clock = Clock.systemUTC();
        EventProcessor processor = new EventProcessor(new TransactionTemplate(transactions), parked, effects, forwarder,
                                                      retries, clock);
        return new EventConsumer(queue.bootstrapServers(), properties, processor, retries, effects,
                                 new WorkerMetrics(registry, clock), registry, new MessageSpans(observations), clock);
    }
}
