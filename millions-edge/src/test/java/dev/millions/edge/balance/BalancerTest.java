package dev.millions.edge.balance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** Each balancer's choice, with time given by the test. */
class BalancerTest {

    static final long NOW = 1_000_000_000_000L;

    @Test
    void roundRobin_takesEachBackendInTurn() {
        List<Backend> backends = backends(1, 1, 1);
        Balancer balancer = Balancer.of("round-robin", 0);

        List<String> picks = picks(balancer, backends, 6);

        assertThat(picks).containsExactly("b0", "b1", "b2", "b0", "b1", "b2");
    }

    @Test
    void weightedRoundRobin_isSmooth_fiveOneOneGivesAABACAA() {
        List<Backend> backends = backends(5, 1, 1);
        Balancer balancer = Balancer.of("weighted-round-robin", 0);

        assertThat(String.join("", picks(balancer, backends, 7)).replace("b0", "a").replace("b1", "b").replace("b2", "c"))
                .isEqualTo("aabacaa");
    }

    @Test
    void leastConnections_picksTheBackendWithFewestInFlight() {
        List<Backend> backends = backends(1, 1, 1);
        backends.get(0).started();
        backends.get(0).started();
        backends.get(2).started();

        assertThat(Balancer.of("least-connections", 0).pick(backends, null, NOW).id()).isEqualTo("b1");
    }

    @Test
    void powerOfTwoChoices_avoidsABackendWhoseLatencyJumped() {
        List<Backend> backends = backends(1, 1);
        backends.get(1).started();
        backends.get(1).finished(NOW, 200_000_000L, true);
        Balancer balancer = Balancer.of("p2c-ewma", 0);

        assertThat(picks(balancer, backends, 100)).containsOnly("b0");
    }

    @Test
    void powerOfTwoChoices_triesASlowBackendAgain_onceItsLatencyMemoryHasDecayed() {
        List<Backend> backends = backends(1, 1);
        backends.get(0).started();
        backends.get(0).finished(NOW, 2_000_000L, true);
        backends.get(1).started();
        backends.get(1).finished(NOW, 200_000_000L, true);
        Balancer balancer = Balancer.of("p2c-ewma", 0);
        long minuteLater = NOW + 60_000_000_000L;
        backends.get(0).started();
        backends.get(0).finished(minuteLater, 2_000_000L, true);

        assertThat(balancer.pick(backends, null, minuteLater).id()).isEqualTo("b1");
    }

    @Test
    void consistentHash_sendsAKeyToTheSameBackend_andMovesAboutAQuarterOfKeysWhenAFourthJoins() {
        List<Backend> three = backends(1, 1, 1);
        List<Backend> four = new ArrayList<>(three);
        four.add(new Backend("b3", new InetSocketAddress("127.0.0.1", 9003), 1, true, NOW));
        Balancer balancer = Balancer.of("consistent-hash", 0);
        Map<String, String> before = new HashMap<>();
        for (int i = 0; i < 10_000; i++) {
            before.put("client-" + i, balancer.pick(three, "client-" + i, NOW).id());
        }
        assertThat(balancer.pick(three, "client-42", NOW).id()).isEqualTo(before.get("client-42"));

        int moved = 0;
        for (int i = 0; i < 10_000; i++) {
            String now = balancer.pick(four, "client-" + i, NOW).id();
            if (!now.equals(before.get("client-" + i))) {
                moved++;
                assertThat(now).isEqualTo("b3");
            }
        }
        assertThat(moved).isBetween(1_800, 3_200);
    }

    @Test
    void slowStart_givesANewlyHealthyBackendASmallShareAtFirst() {
        List<Backend> backends = backends(1, 1);
        Backend fresh = backends.get(1);
        fresh.markHealthy(false, NOW);
        fresh.markHealthy(true, NOW);
        Balancer balancer = Balancer.of("weighted-round-robin", 10_000_000_000L);

        List<String> picks = picks(balancer, backends, 1_000);

        assertThat(picks.stream().filter("b1"::equals).count()).isBetween(50L, 150L);
        assertThat(fresh.slowStartFactor(NOW + 10_000_000_000L, 10_000_000_000L)).isEqualTo(1.0);
    }

    @Test
    void unknownAlgorithm_isRefused_listingTheKnownOnes() {
        assertThatThrownBy(() -> Balancer.of("random", 0)).hasMessageStartingWith("balancer: 'random' (expected one of: ");
    }

    private static List<String> picks(Balancer balancer, List<Backend> backends, int count) {
        List<String> picks = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            picks.add(balancer.pick(backends, null, NOW).id());
        }
        return picks;
    }

    private static List<Backend> backends(int... weights) {
        List<Backend> backends = new ArrayList<>();
        for (int i = 0; i < weights.length; i++) {
            backends.add(new Backend("b" + i, new InetSocketAddress("127.0.0.1", 9000 + i), weights[i], true, NOW));
        }
        return backends;
    }
}
