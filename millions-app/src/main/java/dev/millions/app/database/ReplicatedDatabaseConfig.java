package dev.millions.app.database;

import java.util.Arrays;
import java.util.List;

import javax.sql.DataSource;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.autoconfigure.jdbc.DataSourceProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.millions.jdbc.ReplicatedDataSource;

/**
 * When the database is a primary with replicas ({@code MILLIONS_DATABASE_NODES=host:port,...}), the
 * app's one DataSource finds the primary itself and follows a failover without a restart; otherwise
 * Spring Boot's single HikariCP pool is used.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression("'${millions.database.nodes:}' != ''")
class ReplicatedDatabaseConfig {

    @Bean(destroyMethod = "close")
    DataSource dataSource(@Value("${millions.database.nodes}") String nodes, DataSourceProperties properties,
                          @Value("${spring.datasource.hikari.maximum-pool-size:10}") int poolSize,
                          @Value("${MILLIONS_NODE_NAME:web}") String nodeName) {
        List<String> addresses = Arrays.stream(nodes.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
        String url = properties.determineUrl();
        String database = url.substring(url.lastIndexOf('/') + 1);
        return ReplicatedDataSource.builder()
                                   .nodes(addresses)
                                   .database(database.contains("?") ? database.substring(0, database.indexOf('?'))
                                                                    : database)
                                   .credentials(properties.determineUsername(), properties.determinePassword())
                                   .poolSize(poolSize)
                                   .applicationName(nodeName)
                                   .build();
    }
}
