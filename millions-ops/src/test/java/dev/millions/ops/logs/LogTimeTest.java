package dev.millions.ops.logs;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LogTimeTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            app (logstash JSON)   | {"@timestamp":"2026-12-03T00:58:37.687960273Z","@version":"1","message":"x"} | 2026-12-03T00:58:37.687960273Z
            edge access log       | {"ts":"2026-12-03T00:58:35.003752325Z","type":"access","requestId":"9d0b"}     | 2026-12-03T00:58:35.003752325Z
            edge and supervisor   | {"timestamp":1796259060829,"level":"INFO","mdc": {}}                          | 2026-12-03T00:51:00.829Z
            Kafka (log4j)         | 2026-12-03T00:59:10.472Z [kafka-1-raft] INFO o.a.k.NetworkClient - Node 3 gone | 2026-12-03T00:59:10.472Z
            PostgreSQL (jsonlog)  | {"timestamp":"2026-12-03 00:59:11.406 UTC","user":"app","pid":2427,"error_severity":"LOG"} | 2026-12-03T00:59:11.406Z
            PostgreSQL (stderr)   | 2026-12-03 00:59:11.406 UTC [24276] LOG:  checkpoint complete                 | 2026-12-03T00:59:11.406Z
            Redis                 | 24308:M 03 Dec 2026 00:59:11.119 * DB saved on disk                           | 2026-12-03T00:59:11.119Z
            """)
    void of_readsTheTimeOfEachServersFormat(String server, String line, Instant expected) {
        assertThat(LogTime.of(line)).contains(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            	at org.apache.kafka.clients.NetworkClient.poll(NetworkClient.java:600)
            DETAIL:  Key (id)=(1) already exists.
            {"message":"no time"}
            """)
    void of_aLineWithoutATime_isEmpty(String line) {
        assertThat(LogTime.of(line)).isEmpty();
    }
}
