package dev.millions.ops.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import dev.millions.ops.node.Roles;
import dev.millions.ops.role.postgres.PostgresSettings;
import dev.millions.ops.role.kafka.KafkaSettings;
import dev.millions.ops.role.redis.RedisSettings;
import dev.millions.ops.role.web.WebSettings;

class TopologyLoaderTest {

    @Test
    void singlePreset_hasOneDatabaseAndOneWebNode_startingTheDatabaseFirst() {
        Topology single = Roles.topologies().load("single");

        assertThat(single.name()).isEqualTo("single");
        assertThat(single.startOrder()).extracting(NodeSpec::name).containsExactly("db", "web-1");
        assertThat(single.node("db").role()).isEqualTo("postgres");
        assertThat(single.node("db").dc()).isEqualTo("dc1");
        assertThat(single.node("db").port()).isZero();
        assertThat(single.node("web-1").dependencies()).containsExactly("db");
        assertThat(single.node("web-1").port()).isEqualTo(8080);
    }

    @Test
    void splitDbPreset_putsTheDatabaseOnAHostOfItsOwn_andTheWebNodeOnTheUsualOne() {
        Topology splitDb = Roles.topologies().load("split-db");

        assertThat(splitDb.startOrder()).extracting(NodeSpec::name).containsExactly("db", "web-1");
        assertThat(splitDb.node("db").host()).isEqualTo("127.0.0.2");
        assertThat(splitDb.node("web-1").host()).isEqualTo("127.0.0.1");
        assertThat(splitDb.node("web-1").dependencies()).containsExactly("db");
    }

    @Test
    void startOrder_putsDependenciesFirst_whateverTheFileOrder() throws IOException {
        Topology topology = parse("""
                name: t
                nodes:
                  web-1: {role: web, database: db}
                  db: {role: postgres}
                """);

        assertThat(topology.startOrder()).extracting(NodeSpec::name).containsExactly("db", "web-1");
    }

    @Test
    void withFreePorts_setsEveryPortToZero() {
        assertThat(Roles.topologies().load("single").withFreePorts().nodes().values()).extracting(NodeSpec::port)
                                                                                  .containsOnly(0);
    }

    @Test
    void unknownField_isAnErrorNamingTheFieldAndItsPath() {
        assertThatThrownBy(() -> parse("""
                name: t
                nodes:
                  db: {role: postgres, prot: 5432}
                """)).isInstanceOf(TopologyException.class)
                     .hasMessageContaining("test: nodes.db: unknown field 'prot'");
    }

    @Test
    void unknownRole_listsTheKnownRoles() {
        assertThatThrownBy(() -> parse("""
                name: t
                nodes:
                  db: {role: mysql}
                """)).hasMessageContaining("nodes.db.role: unknown role 'mysql' (expected one of: postgres, web, lb, redis, cdn, kafka, worker, prometheus, trace)");
    }

    @Test
    void portOutOfRange_givesTheRange() {
        assertThatThrownBy(() -> parse("""
                name: t
                nodes:
                  db: {role: postgres, port: 70000}
                """)).hasMessageContaining("nodes.db.port: 70000 (expected: 1..65535 or auto)");
    }

    @Test
    void webNodeWithoutDatabase_isRefused() {
        assertThatThrownBy(() -> parse("""
                name: t
                nodes:
                  web-1: {role: web}
                """)).hasMessageContaining("web node 'web-1' needs a database");
    }

    @Test
    void databaseThatIsNotAPostgresNode_isRefused() {
        assertThatThrownBy(() -> parse("""
                name: t
                nodes:
                  web-1: {role: web, database: web-2}
                  web-2: {role: web, database: web-1}
                """)).hasMessageContaining("uses database 'web-2', which is a web node, not postgres");
    }

    @Test
    void twoNodesOnOnePort_areRefused() {
        assertThatThrownBy(() -> parse("""
                name: t
                nodes:
                  db: {role: postgres, port: 8080}
                  web-1: {role: web, database: db, port: 8080}
                """)).hasMessageContaining("nodes 'db' and 'web-1' both listen on 127.0.0.1:8080");
    }

    @Test
    void duplicateNodeName_isRefused() {
        assertThatThrownBy(() -> parse("""
                name: t
                nodes:
                  db: {role: postgres}
                  db: {role: postgres}
                """)).isInstanceOf(TopologyException.class).hasMessageContaining("Duplicate field 'db'");
    }

    @Test
    void malformedYaml_pointsAtTheLine() {
        assertThatThrownBy(() -> parse("name: t\nnodes: [unclosed\n")).hasMessageContaining("not valid YAML")
                                                                        .hasMessageContaining("line");
    }

    @Test
    void badNodeName_isRefused() {
        assertThatThrownBy(() -> parse("""
                name: t
                nodes:
                  "../db": {role: postgres}
                """)).hasMessageContaining("node name '../db'");
    }

    @Test
    void externalDatabase_isReadWithItsUrlUserAndPasswordFile() throws IOException {
        Topology topology = parse("""
                name: t
                nodes:
                  db:
                    role: postgres
                    external: {url: "jdbc:postgresql://10.0.0.5:5432/app", username: app, password-file: /run/pw}
                """);

        assertThat(((PostgresSettings) topology.node("db").settings()).external()).hasValueSatisfying(external -> {
            assertThat(external.url()).isEqualTo("jdbc:postgresql://10.0.0.5:5432/app");
            assertThat(external.username()).isEqualTo("app");
            assertThat(external.passwordFile()).hasToString("/run/pw");
        });
    }

    @Test
    void externalDatabase_withAnotherKindOfUrl_orOnAWebNode_isRefused() {
        assertThatThrownBy(() -> parse("""
                name: t
                nodes:
                  db: {role: postgres, external: {url: "mysql://x", username: a, password-file: /p}}
                """)).hasMessageContaining("nodes.db.external.url: mysql://x (expected: jdbc:postgresql://");
        assertThatThrownBy(() -> parse("""
                name: t
                nodes:
                  db: {role: postgres}
                  web-1: {role: web, database: db, external: {url: "jdbc:postgresql://x/y"}}
                """)).hasMessageContaining("nodes.web-1: unknown field 'external' (known: cache, database, dc, host, jvm-options, port, queue, "
                                             + "role, settings, traces)");
    }

    @Test
    void replicatedPreset_startsThePrimaryBeforeItsReplicas_andTheWebNodesAfterThem() {
        Topology replicated = Roles.topologies().load("replicated");

        assertThat(replicated.startOrder()).extracting(NodeSpec::name).startsWith("db-1").containsSubsequence(
                "db-1", "db-2", "db-3", "web-1", "lb");
        assertThat(((PostgresSettings) replicated.node("db-3").settings()).replicaOf())
                .contains(new PostgresSettings.ReplicaOf("db-1", true));
        assertThat(replicated.node("db-3").settings().memberOf()).contains("db-1");
    }

    @Test
    void replicaOfAReplica_webNodeOnAReplica_andReplicationWithoutAPrimary_areRefused() {
        assertThatThrownBy(() -> parse("""
                name: t
                nodes:
                  a: {role: postgres}
                  b: {role: postgres, replica-of: a}
                  c: {role: postgres, replica-of: b}
                """)).hasMessageContaining("node 'c' is a replica of 'b', itself a replica");
        assertThatThrownBy(() -> parse("""
                name: t
                nodes:
                  a: {role: postgres}
                  b: {role: postgres, replica-of: a, replication: async}
                  w: {role: web, database: b}
                """)).hasMessageContaining("uses database 'b', a replica: name the cluster's first primary, 'a'");
        assertThatThrownBy(() -> parse("""
                name: t
                nodes:
                  a: {role: postgres, replication: async}
                """)).hasMessageContaining("nodes.a.replication: only a replica (replica-of: ...) has one");
        assertThatThrownBy(() -> parse("""
                name: t
                nodes:
                  a: {role: postgres}
                  b: {role: postgres, replica-of: a, replication: sometimes}
                """)).hasMessageContaining("nodes.b.replication: sometimes (expected: sync or async)");
    }

    @Test
    void neitherPresetNorFile_namesThePresets() {
        assertThatThrownBy(() -> Roles.topologies().load("no-such-stage"))
                .hasMessage("'no-such-stage' is neither a preset (single, split-db, lb, replicated, cached, stateless, cdn, queue) nor a "
                            + "topology file");
    }

    @Test
    void statelessPreset_startsTheCacheBeforeTheWebNodes_withItsDefaults() {
        Topology stateless = Roles.topologies().load("stateless");

        assertThat(stateless.startOrder()).extracting(NodeSpec::name).containsSubsequence("cache", "web-1", "lb");
        assertThat(((WebSettings) stateless.node("web-2").settings()).cache()).contains("cache");
        RedisSettings settings = (RedisSettings) stateless.node("cache").settings();
        assertThat(settings.masters()).isEqualTo(3);
        assertThat(settings.replicasPerMaster()).isEqualTo(1);
        assertThat(settings.persistence().id()).isEqualTo("rdb+aof");
        assertThat(settings.maxMemoryBytes()).isEqualTo(64L << 20);
        assertThat(settings.evictionPolicy()).isEqualTo("volatile-ttl");
        assertThat(settings.nodeTimeout()).hasMillis(500);
    }

    @Test
    void badRedisSettings_andACacheThatIsNotRedis_areRefusedWithThePath() {
        assertThatThrownBy(() -> parse("""
                name: t
                nodes:
                  c: {role: redis, settings: {masters: 2}}
                """)).hasMessageContaining("nodes.c.settings.masters: 2 (expected: 3..16)");
        assertThatThrownBy(() -> parse("""
                name: t
                nodes:
                  c: {role: redis, settings: {persistence: sometimes}}
                """)).hasMessageContaining("nodes.c.settings.persistence: sometimes (expected: off, rdb, aof or rdb+aof)");
        assertThatThrownBy(() -> parse("""
                name: t
                nodes:
                  c: {role: redis, settings: {maxmemory: lots, maxmemory-policy: allkeys-lru}}
                """)).hasMessageContaining("nodes.c.settings.maxmemory: lots (expected: a size such as 64mb or 1gb)");
        assertThatThrownBy(() -> parse("""
                name: t
                nodes:
                  c: {role: redis, settings: {maxmemory-policy: random}}
                """)).hasMessageContaining("nodes.c.settings.maxmemory-policy: random (expected one of: allkeys-lfu");
        assertThatThrownBy(() -> parse("""
                name: t
                nodes:
                  c: {role: redis, port: 7000}
                """)).hasMessageContaining("nodes.c.port: 7000 (a redis node is a cluster whose members take free "
                                              + "ports: leave it auto)");
        assertThatThrownBy(() -> parse("""
                name: t
                nodes:
                  db: {role: postgres}
                  w: {role: web, database: db, cache: db}
                """)).hasMessageContaining("node 'w' uses cache 'db', which is a postgres node, not redis");
        assertThatThrownBy(() -> parse("""
                name: t
                nodes:
                  db: {role: postgres, cache: db}
                """)).hasMessageContaining("nodes.db: unknown field 'cache'");
    }

    @Test
    void kafkaNode_defaultsToThreeBrokers_andItsSettingsAndUsersAreChecked() throws IOException {
        KafkaSettings defaults = (KafkaSettings) parse("""
                name: t
                nodes:
                  queue: {role: kafka}
                """).nodes().get("queue").settings();

        assertThat(defaults).isEqualTo(new KafkaSettings(3, 512, Duration.ofSeconds(3), Optional.empty()));
        assertThatThrownBy(() -> parse("""
                name: t
                nodes:
                  queue: {role: kafka, settings: {nodes: 2}}
                """)).hasMessageContaining("nodes.queue.settings.nodes: 2 (expected: 1, 3 or 5, so that a majority");
        assertThatThrownBy(() -> parse("""
                name: t
                nodes:
                  queue: {role: kafka, settings: {brokers: 3}}
                """)).hasMessageContaining("nodes.queue.settings: unknown kafka setting 'brokers' (known: heap-mb, nodes, "
                                              + "session-timeout-ms)");
        assertThatThrownBy(() -> parse("""
                name: t
                nodes:
                  queue: {role: kafka, port: 9092}
                """)).hasMessageContaining("nodes.queue.port: 9092 (a kafka node is a cluster whose members take free "
                                              + "ports: leave it auto)");
        assertThatThrownBy(() -> parse("""
                name: t
                nodes:
                  db: {role: postgres}
                  w: {role: web, database: db, queue: db}
                """)).hasMessageContaining("node 'w' uses queue 'db', which is a postgres node, not kafka");
    }

    @Test
    void externalKafka_isGivenByItsBrokers_andTakesNoSettings() throws IOException {
        KafkaSettings external = (KafkaSettings) parse("""
                name: t
                nodes:
                  queue: {role: kafka, external: {bootstrap: "k1.example:9092,k2.example:9092"}}
                """).nodes().get("queue").settings();

        assertThat(external.external()).contains("k1.example:9092,k2.example:9092");
        assertThatThrownBy(() -> parse("""
                name: t
                nodes:
                  queue: {role: kafka, external: {bootstrap: "k1.example"}}
                """)).hasMessageContaining("nodes.queue.external.bootstrap: k1.example (expected: host:port,host:port,...)");
        assertThatThrownBy(() -> parse("""
                name: t
                nodes:
                  queue: {role: kafka, external: {bootstrap: "k1:9092"}, settings: {nodes: 3}}
                """)).hasMessageContaining("nodes.queue.settings: an external kafka is not launched, so it takes no settings");
    }

    @Test
    void workerNode_needsADatabaseAndAQueue_andStartsAfterBoth() throws IOException {
        Topology queue = Roles.topologies().load("queue");

        assertThat(queue.node("worker-1").role()).isEqualTo("worker");
        List<String> order = queue.startOrder().stream().map(NodeSpec::name).toList();
        assertThat(order.indexOf("worker-1")).isGreaterThan(order.indexOf("queue")).isGreaterThan(order.indexOf("db-1"));
        assertThatThrownBy(() -> parse("""
                name: t
                nodes:
                  db: {role: postgres}
                  w: {role: worker, database: db}
                """)).hasMessageContaining("nodes.w: worker node 'w' needs a queue (the name of a kafka node)");
        assertThatThrownBy(() -> parse("""
                name: t
                nodes:
                  db: {role: postgres}
                  q: {role: kafka}
                  w: {role: worker, database: q, queue: q}
                """)).hasMessageContaining("node 'w' uses database 'q', which is a kafka node, not postgres");
    }

    @Test
    void dataCenter_defaultsToDc1_andIsCheckedLikeAName() throws IOException {
        Topology topology = parse("""
                name: t
                nodes:
                  db: {role: postgres, dc: dc2}
                """);

        assertThat(topology.node("db").dc()).isEqualTo("dc2");
        assertThatThrownBy(() -> parse("""
                name: t
                nodes:
                  db: {role: postgres, dc: "DC 1"}
                """)).hasMessageContaining("nodes.db.dc: 'DC 1' (expected: lower-case letters, digits and '-'");
    }

    @Test
    void lbSettings_areChecked() {
        assertThatThrownBy(() -> parse("""
                name: t
                nodes:
                  db: {role: postgres}
                  web-1: {role: web, database: db}
                  lb: {role: lb, backends: [web-1], settings: {algoritm: p2c-ewma}}
                """)).hasMessageContaining("nodes.lb.settings: unknown lb setting 'algoritm' (known: algorithm, "
                                              + "hash-key, rate-limit)");
        assertThatThrownBy(() -> parse("""
                name: t
                nodes:
                  db: {role: postgres}
                  web-1: {role: web, database: db}
                  lb: {role: lb, backends: [web-1], settings: {rate-limit: fast}}
                """)).hasMessageContaining("nodes.lb.settings.rate-limit: fast (expected: requests per second");
        assertThatThrownBy(() -> parse("""
                name: t
                nodes:
                  db: {role: postgres}
                  lb: {role: lb, backends: [db]}
                """)).hasMessageContaining("load balancer 'lb' balances over 'db', which is a postgres node, not web");
    }

    private static Topology parse(String yaml) throws IOException {
        return Roles.topologies().parse(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "test");
    }
}
