/** The Kafka launcher: a KRaft cluster of broker-and-controller processes. */
@NullMarked
package dev.millions.kafka;

import org.jspecify.annotations.NullMarked;
